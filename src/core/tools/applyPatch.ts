// apply_patch: the model edits files by sending a patch in Codex's format. On the Responses API it is a
// freeform tool constrained by Codex's Lark grammar (the shape OpenAI's models are trained on); on Chat
// Completions the same text arrives as JSON `{"input": "…"}`. The tool only proposes: it computes the
// change set in memory, asks the policy, and hands it to the host, which reviews and writes it.
// Files outside the workspace (as written or through a symlink) are authorized before they are read,
// and a failure involving one never quotes it (patchConfinement.ts).
import { computeChangeSet, PatchApplyError, PatchParseError } from '../patch/apply';
import { APPLY_PATCH_LARK_GRAMMAR } from '../patch/grammar';
import { parsePatch, type PatchOperation } from '../patch/parser';
import type { FileChangeSummary } from '../../shared/events';
import { ConfinedPatchReader, contentFreeFailure, outsidePaths, patchPaths, WorkspaceScope } from './patchConfinement';
import { summarizeChangeSet } from '../patch/summary';
import { createChangeSetReview, withHunkSummaries } from '../review/changeSetReview';
import type { ChangeSet } from '../patch/types';
import { knownSecrets } from '../secrets/knownSecrets';
import { ToolInputError, type Tool, type ToolContext, type ToolResult } from './types';

export interface ApplyPatchArgs {
  patch: string;
}

const DESCRIPTION =
  'Edit files with a patch: add, delete, update or move files. Paths are relative to the working directory. ' +
  "In an update, each '@@' chunk holds context lines (' '), removed lines ('-') and added lines ('+'); give 3 lines of " +
  "context around each change, and '@@ <line>' (e.g. the enclosing function's header) when context alone is ambiguous.";

const FORMAT = `*** Begin Patch
*** Add File: path/new.txt
+line of the new file
*** Delete File: path/old.txt
*** Update File: path/file.py
*** Move to: path/renamed.py   (optional)
@@ def enclosing_function():
 context
-removed
+added
*** End of File   (optional: the chunk ends the file)
*** End Patch`;

export const applyPatchTool: Tool<ApplyPatchArgs> = {
  name: 'apply_patch',
  spec: {
    kind: 'custom',
    name: 'apply_patch',
    description: `${DESCRIPTION} Send the patch as raw text, not JSON.`,
    grammar: { syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR },
    fallback: {
      description: DESCRIPTION,
      parameters: {
        type: 'object',
        properties: { input: { type: 'string', description: `The whole patch:\n${FORMAT}` } },
        required: ['input'],
        additionalProperties: false,
      },
    },
  },

  parse(input: string): ApplyPatchArgs {
    const patch = unwrapJsonArguments(input);
    if (patch.trim() === '') throw new ToolInputError("The patch is empty. Send the patch text, from '*** Begin Patch' to '*** End Patch'.");
    return { patch };
  },

  describe(args, ctx) {
    return { title: titleFor(args.patch), cwd: ctx.cwd };
  },

  async run(args, ctx): Promise<ToolResult> {
    // Error messages quote workspace files, which may hold a key Tandem uses (a .env): redact it.
    const result = await runApplyPatch(args, ctx);
    return { ...result, output: knownSecrets.redact(result.output) };
  },
};

/** The tool's work; `run` redacts whatever it returns. */
async function runApplyPatch(args: ApplyPatchArgs, ctx: ToolContext): Promise<ToolResult> {
  let operations: PatchOperation[];
  try {
    operations = parsePatch(args.patch);
  } catch (error) {
    if (error instanceof PatchParseError) return { status: 'error', output: error.message };
    throw error;
  }
  // Where the patch really goes, decided before any file is read.
  const scope = await WorkspaceScope.create(ctx.workspaceRoots, ctx.files);
  const outside = await outsidePaths(patchPaths(operations, ctx.cwd), scope);
  if (outside.length > 0) {
    const files = outside.map((path): FileChangeSummary => ({ path, kind: 'update', added: 0, removed: 0, diff: '' }));
    const early = await ctx.authorize({ kind: 'patch', files, reason: `Read and change ${outside.length === 1 ? 'a file' : `${outside.length} files`} outside the workspace` });
    if (!early.allowed) return { status: 'denied', output: `The patch was not applied; nothing was read or written: ${early.reason}` };
  }
  const reader = new ConfinedPatchReader(ctx.files, scope, new Set(outside));
  let changeSet: ChangeSet;
  try {
    changeSet = await computeChangeSet(args.patch, ctx.cwd, reader, `patch-${ctx.callId}`);
  } catch (error) {
    if (error instanceof PatchParseError || error instanceof PatchApplyError) {
      const quotesNothing = outside.length > 0 || reader.touchedOutside;
      return { status: 'error', output: quotesNothing ? contentFreeFailure(outside.length > 0 ? outside : [error instanceof PatchApplyError ? (error.path ?? '?') : '?']) : error.message };
    }
    throw error;
  }
  // The policy resolves these cwd-relative paths back against ctx.cwd.
  // Hunk ids are deterministic, so the host's review of the same change set uses the same ones.
  const files = withHunkSummaries(summarizeChangeSet(changeSet, ctx.cwd), createChangeSetReview(changeSet, ctx.turnId, (path) => path));
  const count = files.length === 1 ? '1 file' : `${files.length} files`;
  const authorization = await ctx.authorize({ kind: 'patch', files, reason: `Apply a patch to ${count}` });
  if (!authorization.allowed) {
    return { status: 'denied', output: `The patch was not applied, nothing was written: ${authorization.reason}` };
  }
  ctx.emit({ type: 'patch.proposed', turnId: ctx.turnId, callId: ctx.callId, changeSetId: changeSet.id, files });
  const result = await ctx.proposeChanges(changeSet);
  ctx.emit({
    type: 'patch.resolved',
    turnId: ctx.turnId,
    changeSetId: changeSet.id,
    outcome: result.outcome,
    message: result.message,
  });
  const status = result.outcome === 'applied' || result.outcome === 'partial' ? 'ok' : result.outcome === 'discarded' ? 'denied' : 'error';
  return { status, output: result.message };
}

/** Chat Completions sends `{"input": "<patch>"}`; the Responses API sends the patch itself. */
function unwrapJsonArguments(input: string): string {
  if (!input.trimStart().startsWith('{')) return input;
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch (error) {
    throw new ToolInputError(`The arguments are not valid JSON (${error instanceof Error ? error.message : String(error)}). Send {"input": "<the patch>"}.`);
  }
  const patch = (parsed as { input?: unknown } | null)?.input;
  if (typeof patch !== 'string') throw new ToolInputError('Expected {"input": "<the patch>"} with the patch text as a string.');
  return patch;
}

function titleFor(patch: string): string {
  let operations: PatchOperation[];
  try {
    operations = parsePatch(patch);
  } catch {
    return 'apply_patch';
  }
  const [only] = operations;
  if (operations.length !== 1 || !only) return `Edit ${operations.length} files`;
  if (only.kind === 'add') return `Add ${only.path}`;
  if (only.kind === 'delete') return `Delete ${only.path}`;
  return only.movePath ? `Move ${only.path} → ${only.movePath}` : `Edit ${only.path}`;
}
