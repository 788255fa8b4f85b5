#!/usr/bin/env node
// tandem/sdk in one screen: runs Tandem on several folders at once (one thread each, in parallel) and
// prints what it found in each as JSON. Read-only: nothing in the folders is written.
//   OPENAI_API_KEY=… node parallel-folders.mjs "Summarise what this project does" ~/src/app ~/src/lib
// OPENAI_BASE_URL points it at any OpenAI-compatible server; TANDEM_MODEL picks the model.
import { Tandem } from 'tandem/sdk';

const [prompt, ...folders] = process.argv.slice(2);
if (!prompt || folders.length === 0) {
  console.error('usage: node parallel-folders.mjs PROMPT DIR...');
  process.exit(2);
}

const tandem = new Tandem();
const results = await Promise.all(
  folders.map(async (folder) => {
    const thread = tandem.startThread({ workingDirectory: folder, approval: 'read-only', ...(process.env.TANDEM_MODEL ? { model: process.env.TANDEM_MODEL } : {}) });
    try {
      const run = await thread.run(prompt);
      return {
        folder,
        thread: thread.id, // `tandem exec --resume <id> "…"` or resumeThread(id) continues it
        status: run.status,
        answer: run.finalResponse,
        commands: run.items.filter((item) => item.type === 'command').map((item) => item.title),
        tokens: run.usage.inputTokens + run.usage.outputTokens,
      };
    } catch (error) {
      return { folder, status: 'failed', error: error instanceof Error ? error.message : String(error) };
    } finally {
      await thread.close();
    }
  }),
);
console.log(JSON.stringify(results, null, 2));
process.exitCode = results.every((r) => r.status === 'completed') ? 0 : 1;
