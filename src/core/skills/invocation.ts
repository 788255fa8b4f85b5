// `$name` in a message invokes a skill explicitly: the host attaches that skill's SKILL.md instructions to
// the message, the way an `@` mention attaches a file. Only names of discovered skills count; any other
// `$word` (a shell variable, a price, an unknown skill) stays literal text, and so does anything inside
// backticks or a fenced code block, where `$name` is code, not a request. Pure: reading goes through the
// FileReader port, under the same checks as discovery (discovery.ts readSkillBody).
import { composeWithAttachments } from '../fix/prompt';
import { codeBlock } from '../fix/text';
import type { FileReader } from '../ports';
import { readSkillBody } from './discovery';
import { skillPathForPrompt } from './promptSection';
import type { Skill } from './types';

/** Skills attached to one message at most (each up to MAX_SKILL_BODY_CHARS). */
export const MAX_INVOKED_SKILLS = 5;

/** The distinct `$name`s written in `text` outside code, in order of first appearance. */
export function invokedSkillNames(text: string): string[] {
  const names: string[] = [];
  const prose = withoutCode(text);
  for (const match of prose.matchAll(/(?<![\w$\\])\$([a-z0-9]+(?:-[a-z0-9]+)*)(?![\w-])/g)) {
    const name = match[1]!;
    if (name.length <= 64 && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The attachment text for an invoked skill. */
export function skillAttachment(skill: Skill, body: string, where: { cwd: string; home?: string }): string {
  const path = skillPathForPrompt(skill.file, where);
  return `The user invoked the skill \`${skill.name}\` (${path}). Follow its instructions below; its other files are next to it, read them when you need them:\n${codeBlock(body || '(SKILL.md has no instructions after its front matter)', 'markdown')}`;
}

export interface SkillExpansion {
  /** The message with the invoked skills attached (unchanged when none was). */
  text: string;
  /** Skills attached. */
  invoked: string[];
  /** `$name`s of known skills that could not be attached, with the reason (they stay literal). */
  problems: string[];
}

/**
 * Attaches the skills `typed` invokes to `message` (the message as composed, with its other attachments;
 * `typed` is what the user wrote, so a `$name` inside an attached file does not count).
 */
export async function expandSkillInvocations(typed: string, message: string, skills: readonly Skill[], files: FileReader, where: { cwd: string; home?: string }): Promise<SkillExpansion> {
  const byName = new Map(skills.map((s) => [s.name, s]));
  const wanted = invokedSkillNames(typed).filter((n) => byName.has(n));
  const attachments: { text: string }[] = [];
  const invoked: string[] = [];
  const problems: string[] = [];
  for (const name of wanted) {
    if (invoked.length >= MAX_INVOKED_SKILLS) {
      problems.push(`$${name}: at most ${MAX_INVOKED_SKILLS} skills are attached to one message`);
      continue;
    }
    const skill = byName.get(name)!;
    const read = await readSkillBody(files, skill);
    if ('error' in read) {
      problems.push(`$${name}: ${read.error}`);
      continue;
    }
    attachments.push({ text: skillAttachment(skill, read.body, where) });
    invoked.push(name);
  }
  return { text: composeWithAttachments(message, attachments), invoked, problems };
}

/** `text` without its fenced code blocks and inline code spans. */
function withoutCode(text: string): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  const kept: string[] = [];
  for (const line of lines) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      kept.push('');
      continue;
    }
    if (marker) {
      fence = marker;
      kept.push('');
      continue;
    }
    kept.push(line.replace(/(`+)[^`]*?\1/g, ' '));
  }
  return kept.join('\n');
}
