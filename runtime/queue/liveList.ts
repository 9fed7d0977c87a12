/**
 * The embedded queue's live messages in send order, as a list threaded through the entries themselves. A `Map` keyed
 * by message id kept the same order, but on the webhook accept path its insert into a map of hundreds of thousands
 * of entries was as costly as the journal line (issue 16), and nothing there looks a message up by id: a receipt
 * finds its entry through the queue's receipts, a dedupe key through `keys`.
 */
export interface Linked<T> {
  prev: T | undefined;
  next: T | undefined;
}

export class LiveList<T extends Linked<T>> {
  private first: T | undefined;
  private last: T | undefined;
  size = 0;

  push(node: T): void {
    node.prev = this.last;
    node.next = undefined;
    if (this.last) this.last.next = node;
    else this.first = node;
    this.last = node;
    this.size += 1;
  }

  has(node: T): boolean {
    return node.prev !== undefined || this.first === node;
  }

  /** Takes out a node of this list; a node not in it is left alone. */
  remove(node: T): void {
    if (!this.has(node)) return;
    if (node.prev) node.prev.next = node.next;
    else this.first = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.last = node.prev;
    node.prev = undefined;
    node.next = undefined;
    this.size -= 1;
  }

  /** In order, oldest first. The node just yielded may be removed meanwhile; no other may. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let node = this.first; node;) {
      const next = node.next;
      yield node;
      node = next;
    }
  }
}
