// Which definition an `${input:id}` of a server is asked with. A workspace file's `inputs` apply only to
// the servers of that same file, and only in a trusted workspace: a workspace must not decide how the
// secret of one of the user's own servers is asked (turn `password` off so it shows on screen, or make it
// a pickString of the workspace's choosing). The user's servers (settings) have no input definitions, so
// theirs are always asked as a masked prompt named by the id. No VS Code import, so it is tested directly.
import type { McpInput, McpServerConfig } from '../../core/mcp/config';

/** `inputs` by the file that defines them (a file's origin, as its servers carry it). */
export type InputsByOrigin = ReadonlyMap<string, readonly McpInput[]>;

export function inputDefinition(server: McpServerConfig, id: string, workspaceInputs: InputsByOrigin, trusted: boolean): McpInput {
  if (server.source !== 'workspace') return { id, type: 'promptString', description: id, password: true };
  if (!trusted) throw new Error(`input "${id}" of a workspace server cannot be asked in Restricted Mode`);
  const input = workspaceInputs.get(server.origin)?.find((i) => i.id === id);
  if (!input) throw new Error(`input "${id}" is used but not defined in the "inputs" of ${server.origin}`);
  return input;
}
