// The host's side of the composer's `@` picker: answers queries with workspace files and folders (fuzzy)
// and the special items, and reads what the user picked. Only ids this provider offered can be picked, so
// the webview cannot name an arbitrary path.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileAttachment, folderAttachment, problemsAttachment, selectionAttachment, selectionLabel, terminalAttachment } from '../../core/mentions/attachments';
import { foldersOf, fuzzyScore, rankPaths } from '../../core/mentions/fuzzy';
import type { MentionItem, MentionKind } from '../../shared/protocol';
import { agentPath, toDiagnosticInfo } from '../fix/documentInput';

/** Files listed per picker session (the first `@` of a word starts one). */
const MAX_FILES = 2_000;
const MAX_RESULTS = 20;
/** A cached file list older than this is listed again. */
const CACHE_MS = 15_000;
/** Files larger than this are not read at all (the agent can read them with its tools). */
const MAX_READ_BYTES = 8 * 1024 * 1024;
const EXCLUDE = '{**/node_modules/**,**/.git/**}';

const SPECIAL: readonly { id: string; kind: MentionKind; label: string; detail: string }[] = [
  { id: 'special:problems', kind: 'problems', label: '@problems', detail: 'Errors and warnings in the workspace' },
  { id: 'special:selection', kind: 'selection', label: '@selection', detail: 'The selected code in the editor' },
  { id: 'special:terminal', kind: 'terminal', label: '@terminal', detail: 'Last output of the Tandem terminal' },
];

export interface Attachment {
  label: string;
  text: string;
  kind: MentionKind;
}

export class MentionProvider {
  private files: { at: number; list: Promise<{ rel: string; uri: vscode.Uri }[]> } | undefined;
  /** What was offered: id -> where it points. */
  private readonly offered = new Map<string, { kind: 'file' | 'folder'; uri: vscode.Uri; rel: string }>();

  constructor(private readonly terminal: { lastOutput(): { command: string; output: string } | undefined }) {}

  async query(query: string): Promise<MentionItem[]> {
    if (query === '' || !this.files || Date.now() - this.files.at > CACHE_MS) this.files = { at: Date.now(), list: listFiles() };
    const files = await this.files.list;
    const q = query.trim();
    const specials = SPECIAL.filter((s) => q === '' || fuzzyScore(q, s.label.slice(1)) !== undefined);
    const byRel = new Map(files.map((f) => [f.rel, f.uri]));
    const folders = foldersOf(files.map((f) => f.rel));
    const ranked = rankPaths(q, [...files.map((f) => f.rel), ...folders.map((f) => `${f}/`)], MAX_RESULTS - specials.length);
    if (this.offered.size > 10 * MAX_FILES) this.offered.clear();
    const items: MentionItem[] = specials.map((s) => ({ ...s }));
    for (const rel of ranked) {
      const folder = rel.endsWith('/');
      const clean = folder ? rel.slice(0, -1) : rel;
      const uri = folder ? folderUri(files, clean) : byRel.get(clean);
      if (!uri) continue;
      const id = `${folder ? 'folder' : 'file'}:${uri.toString()}`;
      this.offered.set(id, { kind: folder ? 'folder' : 'file', uri, rel: clean });
      const dir = path.posix.dirname(clean);
      items.push({ id, kind: folder ? 'folder' : 'file', label: path.posix.basename(clean) + (folder ? '/' : ''), detail: dir === '.' ? '' : dir });
    }
    return items;
  }

  /** The attachment for a picked item, or a reason why there is none. */
  async resolve(id: string): Promise<Attachment | { error: string }> {
    if (id === 'special:problems') {
      const files = vscode.languages.getDiagnostics().map(([uri, diagnostics]) => ({ path: agentPath(uri), diagnostics: diagnostics.map(toDiagnosticInfo) }));
      return { label: '@problems', kind: 'problems', text: problemsAttachment(files) };
    }
    if (id === 'special:selection') {
      const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
      if (!editor || editor.selection.isEmpty) return { error: 'There is no selection in an editor to attach.' };
      const { start, end } = editor.selection;
      const endLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
      const where = agentPath(editor.document.uri);
      return { label: selectionLabel(where, start.line, endLine), kind: 'selection', text: selectionAttachment(where, start.line, endLine, editor.document.getText(editor.selection), editor.document.languageId) };
    }
    if (id === 'special:terminal') {
      const last = this.terminal.lastOutput();
      if (!last) return { error: 'The Tandem terminal has not run a command yet.' };
      return { label: '@terminal', kind: 'terminal', text: terminalAttachment(last.command, last.output) };
    }
    const target = this.offered.get(id);
    if (!target) return { error: 'That item is no longer offered; type @ again.' };
    return target.kind === 'folder' ? readFolder(target.uri, target.rel) : readFile(target.uri, target.rel);
  }
}

async function listFiles(): Promise<{ rel: string; uri: vscode.Uri }[]> {
  const uris = await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_FILES);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return uris.map((uri) => ({ rel: vscode.workspace.asRelativePath(uri, multiRoot), uri })).sort((a, b) => a.rel.localeCompare(b.rel));
}

/** The folder `rel` as a URI, from one of the files inside it. */
function folderUri(files: readonly { rel: string; uri: vscode.Uri }[], rel: string): vscode.Uri | undefined {
  const inside = files.find((f) => f.rel.startsWith(`${rel}/`));
  if (!inside) return undefined;
  const depth = inside.rel.slice(rel.length + 1).split('/').length;
  let uri = inside.uri;
  for (let i = 0; i < depth; i++) uri = vscode.Uri.joinPath(uri, '..');
  return uri;
}

async function readFile(uri: vscode.Uri, rel: string): Promise<Attachment | { error: string }> {
  const label = rel;
  // An open document is read as the user sees it, unsaved changes included.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { label, kind: 'file', text: fileAttachment(rel, open.getText(), open.languageId) };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_READ_BYTES) return { label, kind: 'file', text: `The file \`${rel}\` (${(stat.size / 1024 / 1024).toFixed(1)} MB, too large to attach: read the parts you need).` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, 8192).includes(0)) return { label, kind: 'file', text: `The file \`${rel}\` (binary, ${bytes.length.toLocaleString('en')} bytes; not shown).` };
    return { label, kind: 'file', text: fileAttachment(rel, new TextDecoder().decode(bytes), path.extname(rel).slice(1)) };
  } catch (error) {
    return { error: `Could not read ${rel}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function readFolder(uri: vscode.Uri, rel: string): Promise<Attachment | { error: string }> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(uri);
    const list = entries.map(([name, type]) => ({ name, folder: (type & vscode.FileType.Directory) !== 0 }));
    return { label: `${rel}/`, kind: 'folder', text: folderAttachment(rel, list) };
  } catch (error) {
    return { error: `Could not list ${rel}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
