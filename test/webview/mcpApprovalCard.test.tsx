// @vitest-environment jsdom
// The approval card of an MCP tool call: server, tool and arguments shown as text (they come from a config
// file, a server and the model: markup in them must never render), the server's read-only claim when it
// makes one, and the same Approve / Approve for session / Deny answers as any approval. Also the event
// path: `approval.requested` with an `mcp` subject becomes a standalone card.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { setup, snapshot, type Harness } from './harness';
import type { ChatEntry } from '../../src/shared/chatState';
import type { ApprovalSubject } from '../../src/shared/events';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const hostileArguments = '{\n  "q": "<img src=x onerror=alert(1)>",\n  "md": "**bold** [link](javascript:alert(1))"\n}';
const subject: ApprovalSubject = { kind: 'mcp', server: '<b>srv</b>', tool: 'search', arguments: hostileArguments, readOnlyHint: false, command: 'mcp-server-_b_srv__b_-abc', reason: 'Ask mode: every MCP tool call is asked.' };
const mcpApproval: ChatEntry = { kind: 'approval', id: 'ap-mcp', turnId: 't1', subject };

describe('MCP approval card', () => {
  it('shows server, tool and arguments as plain text, never as markup', () => {
    h = setup(snapshot([mcpApproval], 't1'));
    expect(screen.getByText('Call this MCP tool?')).toBeTruthy();
    expect(screen.getByText('Tool search of MCP server <b>srv</b>')).toBeTruthy();
    const args = document.querySelector('.approval-command code');
    expect(args?.textContent).toBe(hostileArguments);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
    expect(document.querySelector('a[href^="javascript"]')).toBeNull();
    expect(screen.queryByText(/marks this tool read-only/)).toBeNull();
  });

  it('says when the server claims the tool is read-only', () => {
    h = setup(snapshot([{ ...mcpApproval, subject: { ...subject, readOnlyHint: true } }], 't1'));
    expect(screen.getByText('The server marks this tool read-only (its own claim).')).toBeTruthy();
  });

  it.each([
    ['Approve', 'approve'],
    ['Approve for session', 'approve_session'],
    ['Deny', 'deny'],
  ] as const)('%s posts decision %s', async (name, decision) => {
    h = setup(snapshot([mcpApproval], 't1'));
    fireEvent.click(await screen.findByRole('button', { name }));
    expect(h.sent()).toEqual([{ type: 'approval', approvalId: 'ap-mcp', decision }]);
  });

  it('appears from an approval.requested event and shows the decision once resolved', async () => {
    h = setup(snapshot([], 't1'));
    h.events({ type: 'approval.requested', turnId: 't1', approvalId: 'ap9', subject });
    await screen.findByRole('button', { name: 'Deny' });
    h.events({ type: 'approval.resolved', turnId: 't1', approvalId: 'ap9', decision: 'deny', note: 'no' });
    expect(screen.getByText('Denied')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Deny' })).toBeNull();
  });
});
