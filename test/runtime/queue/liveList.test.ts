import { describe, expect, it } from 'vitest';
import { LiveList, type Linked } from '../../../runtime/queue/liveList.ts';

interface Node extends Linked<Node> {
  name: string;
}
const node = (name: string): Node => ({ name, prev: undefined, next: undefined });
const names = (list: LiveList<Node>): string[] => [...list].map((n) => n.name);

describe('live list', () => {
  it('keeps nodes in the order they were pushed, and takes any one out', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(node) as [Node, Node, Node, Node];
    const list = new LiveList<Node>();
    for (const n of [a, b, c, d]) list.push(n);
    expect(names(list)).toEqual(['a', 'b', 'c', 'd']);
    list.remove(b);
    expect(names(list)).toEqual(['a', 'c', 'd']);
    list.remove(a);
    list.remove(d);
    expect(names(list)).toEqual(['c']);
    expect(list.size).toBe(1);
    list.push(a);
    expect(names(list)).toEqual(['c', 'a']);
  });

  it('tells its members from other nodes, and leaves a node not in it alone', () => {
    const [a, b, stranger] = ['a', 'b', 'stranger'].map(node) as [Node, Node, Node];
    const list = new LiveList<Node>();
    list.push(a);
    expect(list.has(a)).toBe(true);
    expect(list.has(stranger)).toBe(false);
    list.remove(stranger);
    list.remove(a);
    list.remove(a);
    expect(list.size).toBe(0);
    expect(list.has(a)).toBe(false);
    list.push(b);
    expect(names(list)).toEqual(['b']);
  });

  it('goes on iterating when the node just yielded is taken out', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map(node);
    const list = new LiveList<Node>();
    for (const n of nodes) list.push(n);
    const seen: string[] = [];
    for (const n of list) {
      seen.push(n.name);
      if (n.name !== 'c') list.remove(n);
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(names(list)).toEqual(['c']);
  });
});
