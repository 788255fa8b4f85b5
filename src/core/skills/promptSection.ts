// The skills section of the system prompt: each skill's name, description and SKILL.md path, within a
// small character budget, so a folder of a hundred skills cannot crowd out the conversation. The model
// reads a skill's files itself, with its normal read commands, when a task calls for it. The section is
// built once per session in a fixed order (discovery order), so the request prefix stays byte-identical
// between requests (prompt caching). Skills left out for room are named (as far as room allows).
import { relativePathInside } from '../patch/posixPath';
import type { Skill } from './types';

/** Characters of the whole section, header included. */
export const SKILLS_PROMPT_BUDGET = 1_500;
/** A description longer than this is cut in the prompt (the SKILL.md has it in full). */
const MAX_LISTED_DESCRIPTION = 200;

const HEADER = `# Skills
Skills are folders of instructions for particular tasks. When a task matches a skill's description, read its SKILL.md first (with your usual read commands) and follow it; read the other files it points to only when you need them.`;

export interface SkillsPromptSection {
  /** The section, or `undefined` when there are no skills. */
  text: string | undefined;
  /** Names listed in the prompt, in order. */
  listed: string[];
  /** Names left out for room. */
  omitted: string[];
}

/** How a SKILL.md path is written for the model: relative to the working directory, or `~/…` under home. */
export function skillPathForPrompt(file: string, where: { cwd: string; home?: string }): string {
  const inCwd = where.cwd === '/' ? undefined : relativePathInside(where.cwd, file);
  if (inCwd !== undefined) return inCwd;
  const inHome = where.home ? relativePathInside(where.home, file) : undefined;
  return inHome !== undefined ? `~/${inHome}` : file;
}

export function skillsPromptSection(skills: readonly Skill[], where: { cwd: string; home?: string }, budget = SKILLS_PROMPT_BUDGET): SkillsPromptSection {
  if (skills.length === 0) return { text: undefined, listed: [], omitted: [] };
  const lines = skills.map((s) => `- ${s.name}: ${shorten(s.description)} (${skillPathForPrompt(s.file, where)})`);
  let count = skills.length;
  for (;;) {
    const omitted = skills.slice(count).map((s) => s.name);
    const text = [HEADER, ...lines.slice(0, count), ...(omitted.length ? [omittedLine(omitted, budget)] : [])].join('\n');
    if (text.length <= budget || count === 0) {
      return { text: count === 0 && text.length > budget ? undefined : text, listed: skills.slice(0, count).map((s) => s.name), omitted };
    }
    count--;
  }
}

/** "Not listed for room: a, b, … and 3 more", itself kept short. */
function omittedLine(names: readonly string[], budget: number): string {
  const room = Math.max(80, Math.floor(budget / 5));
  const shown: string[] = [];
  let length = 0;
  for (const name of names) {
    if (length + name.length + 2 > room) break;
    shown.push(name);
    length += name.length + 2;
  }
  const rest = names.length - shown.length;
  return `Not listed for room (the user can still invoke them as $name): ${shown.join(', ')}${rest ? `${shown.length ? ' and ' : ''}${rest} more` : ''}.`;
}

function shorten(description: string): string {
  // eslint-disable-next-line no-control-regex -- a description is one line of plain text in the prompt
  const clean = description.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  return clean.length > MAX_LISTED_DESCRIPTION ? `${clean.slice(0, MAX_LISTED_DESCRIPTION - 1)}…` : clean;
}
