// The shared corpus (../shared/corpus beside the project): each case folder keeps its repository's layout, so
// a template's DefinitionUri resolves from the case folder. Read in place, never copied.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');

export interface CorpusCase {
  name: string;
  /** The case folder; template and definition paths are relative to it. */
  dir: string;
  templates: string[];
  definitions: string[];
}

const TEMPLATE = /^(template\.ya?ml|main\.yml|.+\.template\.json)$/;
const DEFINITION = /^(.+\.asl\.(json|ya?ml)|event_emitter\.yaml)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

export function corpusCases(corpus = CORPUS): CorpusCase[] {
  if (!existsSync(corpus)) return [];
  return readdirSync(corpus)
    .filter((name) => statSync(join(corpus, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(corpus, name);
      const files = filesUnder(dir).map((file) => relative(dir, file));
      return {
        name,
        dir,
        templates: files.filter((f) => TEMPLATE.test(basename(f))),
        definitions: files.filter((f) => DEFINITION.test(basename(f))),
      };
    });
}
