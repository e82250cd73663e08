// Offsets of every value in JSON text, for line numbers without a second full parse (the text is already valid JSON).

interface PositionNode {
  offset: number;
  children?: Map<string, PositionNode> | PositionNode[];
}

/**
 * Scan valid JSON text into a tree of value offsets (object members are located at their key). Open objects and
 * arrays are kept on an explicit stack, not the call stack, so deeply nested JSON cannot overflow it.
 */
export function jsonPositions(text: string): PositionNode {
  let i = 0;
  const skipWhitespace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const open: Array<Map<string, PositionNode> | PositionNode[]> = [];
  // A scalar is read whole; an object or array is opened and filled by the loop below.
  const startValue = (): PositionNode => {
    skipWhitespace();
    const node: PositionNode = { offset: i };
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      const children = c === '{' ? new Map<string, PositionNode>() : [];
      node.children = children;
      open.push(children);
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !',}] \n\r\t'.includes(text[i] as string)) i++;
    }
    return node;
  };
  const root = startValue();
  while (open.length > 0) {
    const children = open[open.length - 1] as Map<string, PositionNode> | PositionNode[];
    skipWhitespace();
    if (text[i] === ',') i++;
    skipWhitespace();
    if (text[i] === '}' || text[i] === ']') {
      i++;
      open.pop();
    } else if (children instanceof Map) {
      const keyOffset = i;
      const key = readString();
      skipWhitespace();
      i++; // colon
      const child = startValue();
      child.offset = keyOffset;
      children.set(key, child);
    } else {
      children.push(startValue());
    }
  }
  return root;
}

/** Offset of the value at `path`, or of its closest ancestor. */
export function offsetAt(root: PositionNode, path: Array<string | number>): number {
  let node = root;
  for (const segment of path) {
    const children = node.children;
    const next =
      children instanceof Map
        ? children.get(String(segment))
        : Array.isArray(children) && typeof segment === 'number'
          ? children[segment]
          : undefined;
    if (!next) break;
    node = next;
  }
  return node.offset;
}
