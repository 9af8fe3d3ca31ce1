import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ToolCatalog } from '../../src/mcp/catalog.js';
import { servedEntries } from '../../src/mcp/catalog.js';
import { METRIC } from '../../src/metrics.js';
import { TOOL_GROUPS, TOOL_LISTINGS_JSON } from '../../src/tools/listings.generated.js';
import { tokenTable, tokenTableIn } from '../../scripts/tool-tokens.mjs';
import { readTally, tallyLine } from '../support/log-tally.js';

/** What README.md states that the code can check: it must stay true as the code changes. */

const ROOT = resolve(import.meta.dirname, '../..');
let readme: string;
beforeAll(async () => {
  readme = await readFile(join(ROOT, 'README.md'), 'utf8');
});

/** The rows of the markdown table between `<!-- name:start -->` and `<!-- name:end -->`, as cells. */
function tableBetween(name: string): string[][] {
  const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme);
  expect(match, `README.md has a ${name} table`).not.toBeNull();
  return match![1]!
    .trim()
    .split('\n')
    .slice(2)
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

const codeNames = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('README.md', () => {
  it("lists each tool group with exactly the catalog's tools", () => {
    const catalog = new ToolCatalog(servedEntries(), []);
    const documented = new Map(
      tableBetween('tool-groups').map(([group, tools]) => [codeNames(group!)[0]!, codeNames(tools!).sort()]),
    );
    const actual = new Map([...catalog.groups].map(([group, tools]) => [group, [...tools].sort()]));
    expect(documented).toEqual(actual);
  });

  it('states what each tool costs a model in bytes and tokens, as served (else run npm run tokens)', () => {
    expect(tokenTableIn(readme)).toBe(tokenTable(TOOL_LISTINGS_JSON, TOOL_GROUPS));
  });

  it('states the minimum Node version that package.json requires', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const required = /^>=\s*(\d+(?:\.\d+)*)$/.exec(pkg.engines.node)?.[1];
    expect(required).toBeDefined();
    expect(readme).toContain(`Node.js ${required} or later`);
  });

  it('lists every metric src/metrics.ts writes, and no other', () => {
    const documented = tableBetween('metrics').map(([name]) => codeNames(name!)[0]);
    expect(documented.sort()).toEqual(Object.values(METRIC).sort());
  });

  it("quotes the log scan's own tally line, which says 0 hits", () => {
    const row = readme.split('\n').find((line) => line.startsWith('| Secrets in logs')) ?? '';
    // The line the suite prints (test/support/log-tally.ts), quoted as code.
    const quoted = readTally(row);
    expect(quoted, 'the secrets-in-logs row quotes the tally').toBeDefined();
    expect(row).toContain(`\`${quoted?.line}\``);
    expect(quoted?.tally).toMatchObject({ keys: 0, signatures: 0 });
    expect(tallyLine(quoted!.tally)).toBe(quoted?.line);
  });

  it('configures Claude Code, Cursor, VS Code and the MCP Inspector, with valid JSON', () => {
    const section =
      /## Use it from Claude Code, Cursor, VS Code and the MCP Inspector\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    expect(section).toContain('claude mcp add --transport http elevenlabs');
    expect(section).toContain('npx @modelcontextprotocol/inspector --cli');
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as any);
    const cursor = blocks.find((b) => b.mcpServers);
    expect(cursor.mcpServers.elevenlabs).toMatchObject({
      url: expect.stringMatching(/\/mcp$/),
      headers: { 'x-elevenlabs-api-key': expect.any(String) },
    });
    const vscode = blocks.find((b) => b.servers);
    expect(vscode.servers.elevenlabs).toMatchObject({
      type: 'http',
      headers: { 'x-elevenlabs-api-key': '${input:elevenlabs-key}' },
    });
    expect(vscode.inputs[0]).toMatchObject({ id: 'elevenlabs-key', type: 'promptString', password: true });
  });

  it('documents the demo and the same-origin exception to ALLOWED_ORIGINS', () => {
    expect(readme).toContain('### Demo mode: no key needed');
    expect(readme).toContain('npm run demo');
    const allowedOrigins = readme.split('\n').find((line) => line.startsWith('| `ALLOWED_ORIGINS`'));
    expect(allowedOrigins).toMatch(/own loopback origin/);
  });
});
