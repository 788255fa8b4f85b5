// The loop detector: the same call (tool and input) with the same result, again and again, is a loop no
// step cap should have to catch; AgentSession ends the turn with the message this returns. Wall times in
// command output differ between runs, so they are ignored.
export class RepeatDetector {
  private last: string | undefined;
  private count = 0;

  constructor(private readonly max: number) {}

  /** Returns the message that ends the turn once the same call and result came `max` times in a row. */
  add(tool: string, input: string, output: string): string | undefined {
    const key = JSON.stringify([tool, input, output.replace(/^Wall time: [\d.]+ seconds$/m, '')]);
    this.count = key === this.last ? this.count + 1 : 1;
    this.last = key;
    if (this.count < this.max) return undefined;
    const what = tool === 'exec_command' ? `the command ${JSON.stringify(safeCommand(input))}` : `${tool} with the same input`;
    return `Stopped: the agent ran ${what} ${this.count} times in a row with the same result, which looks like a loop. Tell it what to do differently, or send "continue" to let it try again.`;
  }
}

function safeCommand(input: string): string {
  try {
    const cmd = (JSON.parse(input) as { cmd?: unknown }).cmd;
    if (typeof cmd === 'string') return cmd.length > 120 ? `${cmd.slice(0, 119)}…` : cmd;
  } catch {
    // not JSON: fall through
  }
  return input.slice(0, 120);
}
