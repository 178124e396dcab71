/**
 * The three orders a queue can keep its items in: first in first out
 * (`Queue`), last in first out (`LifoQueue`), smallest first (`PriorityQueue`,
 * equal items in insertion order).
 *
 * Items stay in the buffer until a getter actually takes them: a waiting
 * getter is granted the right to take the next item, not an item, so an
 * interrupted getter never has one to give back.
 *
 * @internal
 */
import type * as Order from "effect/Order"

/** @internal */
export interface ItemBuffer<A> {
  readonly size: number
  push(item: A): void
  /** Removes and returns the next item; the buffer must not be empty. */
  take(): A
  /** Removes every item; returns how many there were. */
  clear(): number
}

/**
 * First in, first out: an array read from a moving head, compacted when the
 * dead prefix grows large.
 *
 * @internal
 */
export class FifoBuffer<A> implements ItemBuffer<A> {
  private items: Array<A | undefined> = []
  private head = 0

  get size(): number {
    return this.items.length - this.head
  }

  push(item: A): void {
    this.items.push(item)
  }

  take(): A {
    const item = this.items[this.head] as A
    this.items[this.head++] = undefined
    if (this.head === this.items.length) {
      this.items.length = 0
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  clear(): number {
    const size = this.size
    this.items = []
    this.head = 0
    return size
  }
}

/**
 * Last in, first out: the top of the stack is the end of the array.
 *
 * @internal
 */
export class LifoBuffer<A> implements ItemBuffer<A> {
  private items: Array<A> = []

  get size(): number {
    return this.items.length
  }

  push(item: A): void {
    this.items.push(item)
  }

  take(): A {
    return this.items.pop() as A
  }

  clear(): number {
    const size = this.items.length
    this.items = []
    return size
  }
}

interface Entry<A> {
  readonly item: A
  readonly seq: number
}

/**
 * Smallest first by `order`, ties by insertion number: a binary min-heap.
 *
 * @internal
 */
export class HeapBuffer<A> implements ItemBuffer<A> {
  private heap: Array<Entry<A>> = []
  private seq = 0
  private readonly order: Order.Order<A>

  constructor(order: Order.Order<A>) {
    this.order = order
  }

  get size(): number {
    return this.heap.length
  }

  private less(a: Entry<A>, b: Entry<A>): boolean {
    const c = this.order(a.item, b.item)
    return c < 0 || (c === 0 && a.seq < b.seq)
  }

  push(item: A): void {
    const heap = this.heap
    heap.push({ item, seq: this.seq++ })
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(heap[i], heap[parent])) break
      const swap = heap[i]
      heap[i] = heap[parent]
      heap[parent] = swap
      i = parent
    }
  }

  take(): A {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        const right = left + 1
        let smallest = i
        if (left < heap.length && this.less(heap[left], heap[smallest])) smallest = left
        if (right < heap.length && this.less(heap[right], heap[smallest])) smallest = right
        if (smallest === i) break
        const swap = heap[i]
        heap[i] = heap[smallest]
        heap[smallest] = swap
        i = smallest
      }
    }
    return top.item
  }

  clear(): number {
    const size = this.heap.length
    this.heap = []
    return size
  }
}
