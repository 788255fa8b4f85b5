import { describe, expect, it } from 'vitest';
import { directoriesFromRoot, loadAgentsMd } from '../../../../src/core/prompt/agentsMd';
import type { FileReader } from '../../../../src/core/ports';

function memoryFiles(files: Record<string, string>): FileReader {
  return {
    readText: async (p) => files[p],
    exists: async (p) => p in files,
    isDirectory: async () => false,
  };
}

describe('AGENTS.md discovery', () => {
  it('lists directories from the root down to cwd', () => {
    expect(directoriesFromRoot('/w', '/w/a/b')).toEqual(['/w', '/w/a', '/w/a/b']);
    expect(directoriesFromRoot('/w/', '/w')).toEqual(['/w']);
    expect(directoriesFromRoot('/w', '/elsewhere')).toEqual(['/w']);
    expect(directoriesFromRoot('/w', '/wx/y')).toEqual(['/w']);
  });

  it('concatenates files outermost first, skipping missing and empty ones', async () => {
    const text = await loadAgentsMd(memoryFiles({ '/w/AGENTS.md': 'root rules', '/w/a/AGENTS.md': '  ', '/w/a/b/AGENTS.md': 'deep rules' }), '/w', '/w/a/b');
    expect(text).toBeDefined();
    expect(text!.indexOf('root rules')).toBeLessThan(text!.indexOf('deep rules'));
    expect(text).toContain('AGENTS.md instructions for /w/a/b');
    expect(text).not.toContain('instructions for /w/a\n');
  });

  it('returns undefined when there is none and caps huge files', async () => {
    expect(await loadAgentsMd(memoryFiles({}), '/w', '/w')).toBeUndefined();
    const huge = await loadAgentsMd(memoryFiles({ '/w/AGENTS.md': 'x'.repeat(100_000) }), '/w', '/w');
    expect(huge!.length).toBeLessThan(33_000);
    expect(huge).toContain('[… truncated]');
  });
});
