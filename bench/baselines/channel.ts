/**
 * A bounded async queue for promises, the way a careful promise programmer
 * writes one for producer/consumer code (nothing on npm is this: p-queue
 * runs tasks, it does not pass items): FIFO items, FIFO waiting putters and
 * getters, each waiter a resolver in an array with a moving head.
 */
export class Channel<A> {
  private readonly items: Array<A> = []
  private itemsHead = 0
  private readonly getters: Array<(item: A) => void> = []
  private gettersHead = 0
  private readonly putters: Array<() => void> = []
  private puttersHead = 0
  private readonly capacity: number

  constructor(capacity: number) {
    this.capacity = capacity
  }

  get size(): number {
    return this.items.length - this.itemsHead
  }

  async put(item: A): Promise<void> {
    if (this.gettersHead < this.getters.length) {
      const getter = this.getters[this.gettersHead++]
      getter(item)
      return
    }
    while (this.size >= this.capacity) await new Promise<void>((resolve) => this.putters.push(resolve))
    this.items.push(item)
  }

  async get(): Promise<A> {
    if (this.size > 0) {
      const item = this.items[this.itemsHead++]
      if (this.itemsHead === this.items.length) {
        this.items.length = 0
        this.itemsHead = 0
      }
      if (this.puttersHead < this.putters.length) this.putters[this.puttersHead++]()
      return item
    }
    return new Promise<A>((resolve) => this.getters.push(resolve))
  }
}
