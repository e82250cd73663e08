// Offsets of every value in JSON text, for line numbers without a second full parse (the text is already valid JSON).

interface PositionNode {
  offset: number;
  children?: Map<string, PositionNode> | PositionNode[];
}

/** Scan valid JSON text into a tree of value offsets (object members are located at their key). */
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
  const value = (): PositionNode => {
    skipWhitespace();
    const node: PositionNode = { offset: i };
    const c = text[i];
    if (c === '{') {
      const members = new Map<string, PositionNode>();
      i++;
      skipWhitespace();
      while (text[i] !== '}') {
        skipWhitespace();
        const keyOffset = i;
        const key = readString();
        skipWhitespace();
        i++; // colon
        const child = value();
        members.set(key, { ...child, offset: keyOffset });
        skipWhitespace();
        if (text[i] === ',') i++;
        skipWhitespace();
      }
      i++;
      node.children = members;
    } else if (c === '[') {
      const items: PositionNode[] = [];
      i++;
      skipWhitespace();
      while (text[i] !== ']') {
        items.push(value());
        skipWhitespace();
        if (text[i] === ',') i++;
        skipWhitespace();
      }
      i++;
      node.children = items;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !',}] \n\r\t'.includes(text[i] as string)) i++;
    }
    return node;
  };
  return value();
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
