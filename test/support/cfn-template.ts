import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');

/** `!Ref x` -> { Ref: x }, `!Sub s` -> { 'Fn::Sub': s }, and so on, as CloudFormation reads them. */
export const CFN_TAGS: Tags = [
  'Ref',
  'Sub',
  'GetAtt',
  'If',
  'Not',
  'Equals',
  'Join',
  'Select',
  'Split',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Condition',
].flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const resolveAs = (value: unknown) => ({
    [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value,
  });
  return [
    { tag: `!${name}`, resolve: (value: string) => resolveAs(value) },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (value: { toJSON(): unknown }) => resolveAs(value.toJSON()),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (value: { toJSON(): unknown }) => resolveAs(value.toJSON()),
    },
  ];
});

/** template.yaml as CloudFormation reads it. */
export async function readTemplate(): Promise<any> {
  return parse(await readFile(join(ROOT, 'template.yaml'), 'utf8'), { customTags: CFN_TAGS });
}
