import { parseDocumentText } from '../../lib/cfn/load';

describe('line numbers', () => {
  const json =
    '{\n  "Resources": {\n    "A": { "Type": "X", "Properties": { "List": [1, {"k": "v\\"q"}, 3] } },\n    "B": {\n      "Type": "Y"\n    }\n  }\n}\n';

  it.each<[Array<string | number>, number, number]>([
    [['Resources'], 2, 3],
    [['Resources', 'A'], 3, 5],
    [['Resources', 'A', 'Properties', 'List', 1], 3, 53],
    [['Resources', 'A', 'Properties', 'List', 1, 'k'], 3, 54],
    [['Resources', 'B', 'Type'], 5, 7],
    [['Resources', 'B', 'Missing', 'Deeper'], 4, 5],
  ])('locates %j in JSON at %i:%i, as in YAML', (path, line, column) => {
    expect(parseDocumentText(json, 't.json').locate(path)).toEqual({ line, column });
    // The same document read as YAML (a leading comment skips the JSON fast path) gives the same place.
    expect(parseDocumentText(`#\n${json}`, 't.yaml').locate(path)).toEqual({ line: line + 1, column });
  });
});
