"""The benchmark workloads of effect-asyncio, run on CPython's asyncio.

Standard library only (Python 3.11+: TaskGroup, asyncio.timeout). Same
protocol as bench/child.ts:

    python3 bench/python/asyncio_bench.py <workload> <n>[,<n>...] <run> [--variant=name]
        [--warmup-ms=150] [--measure-ms=400] [--max-samples=30]

prints one JSON sample per line. Every variant's result is validated once
before timing; samples are taken round-robin with gc.collect() before each.
The task of every workload yields once (`await asyncio.sleep(0)`) and
returns its index, as in bench/tasks.ts.
"""

import asyncio
import gc
import json
import statistics
import sys
import time
import tracemalloc

TIMEOUT_S = 10.0
SLEEP_S = 10.0


class TaskFailed(Exception):
    def __init__(self, index):
        super().__init__(index)
        self.index = index


def fails_at(i):
    return i % 10 == 0


async def task(i):
    await asyncio.sleep(0)
    return i


async def task_or_fail(i):
    await asyncio.sleep(0)
    if fails_at(i):
        raise TaskFailed(i)
    return i


class ValidationError(Exception):
    pass


def check(cond, message):
    if not cond:
        raise ValidationError(f"validation failed: {message}")


def check_indices(result, n):
    check(len(result) == n, f"expected {n} results, got {len(result)}")
    check(all(result[i] == i for i in range(n)), "results out of order")


def check_permutation(result, n):
    check(len(result) == n and sorted(result) == list(range(n)), "not a permutation of 0..n-1")


def scheduled_timers(loop):
    return sum(1 for handle in loop._scheduled if not handle.cancelled())


# --- timed workloads: name -> list of (variant, make_run(n) -> (run, check)) ---


def gather_variants(n):
    async def run():
        return await asyncio.gather(*(task(i) for i in range(n)))

    return [("asyncio.gather", run, lambda r: check_indices(r, n))]


def gather_exceptions_variants(n):
    async def run():
        return await asyncio.gather(*(task_or_fail(i) for i in range(n)), return_exceptions=True)

    def validate(result):
        check(len(result) == n, "wrong length")
        for i, slot in enumerate(result):
            if fails_at(i):
                check(isinstance(slot, TaskFailed) and slot.index == i, f"slot {i} should be TaskFailed({i})")
            else:
                check(slot == i, f"slot {i} should be {i}")

    return [("asyncio.gather return_exceptions", run, validate)]


def gather_bounded_variants(n):
    async def run():
        semaphore = asyncio.Semaphore(16)

        async def guarded(i):
            async with semaphore:
                return await task(i)

        return await asyncio.gather(*(guarded(i) for i in range(n)))

    return [("gather + Semaphore(16)", run, lambda r: check_indices(r, n))]


def first_completed_variants(n):
    async def run():
        cancelled = 0

        async def contender(i):
            nonlocal cancelled
            try:
                await asyncio.sleep(0)
                if i == 0:
                    return 0
                await asyncio.sleep(SLEEP_S)
                return i
            except asyncio.CancelledError:
                cancelled += 1
                raise

        tasks = [asyncio.create_task(contender(i)) for i in range(n)]
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        return (next(iter(done)).result(), cancelled)

    def validate(result):
        winner, cancelled = result
        check(winner == 0, f"winner should be 0, got {winner}")
        check(cancelled == n - 1, f"expected {n - 1} cancelled, got {cancelled}")

    return [("asyncio.wait FIRST_COMPLETED + cancel", run, validate)]


def as_completed_variants(n):
    async def run():
        out = []
        for future in asyncio.as_completed([task(i) for i in range(n)]):
            out.append(await future)
        return out

    return [("asyncio.as_completed", run, lambda r: check_permutation(r, n))]


def task_group_variants(n):
    async def run():
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(task(i)) for i in range(n)]
        return tasks

    return [("asyncio.TaskGroup", run, lambda tasks: check_indices([t.result() for t in tasks], n))]


def timeout_variants(n):
    loop = asyncio.get_running_loop()
    before = scheduled_timers(loop)

    def validate(result):
        check_indices(result, n)
        left = scheduled_timers(loop) - before
        check(left == 0, f"{left} timers still scheduled")

    async def run_wait_for():
        return await asyncio.gather(*(asyncio.wait_for(task(i), TIMEOUT_S) for i in range(n)))

    async def under_timeout(i):
        async with asyncio.timeout(TIMEOUT_S):
            return await task(i)

    async def run_timeout():
        return await asyncio.gather(*(under_timeout(i) for i in range(n)))

    return [("asyncio.wait_for", run_wait_for, validate), ("asyncio.timeout", run_timeout, validate)]


def guarded_variants(n, permits, name):
    async def run():
        primitive = asyncio.Lock() if permits == 1 else asyncio.Semaphore(permits)

        async def guarded(i):
            async with primitive:
                return await task(i)

        return await asyncio.gather(*(guarded(i) for i in range(n)))

    return [(name, run, lambda r: check_indices(r, n))]


def queue_variants(n):
    producers, consumers, capacity = 4, 4, 64

    async def run():
        queue = asyncio.Queue(capacity)

        async def produce(p):
            for i in range(p, n, producers):
                await queue.put(i)

        async def consume(count):
            return [await queue.get() for _ in range(count)]

        counts = [len(range(c, n, consumers)) for c in range(consumers)]
        results = await asyncio.gather(*(produce(p) for p in range(producers)), *(consume(k) for k in counts))
        return [item for taken in results[producers:] for item in taken]

    return [("asyncio.Queue(64) put/get", run, lambda r: check_permutation(r, n))]


TIMED = {
    "gather": gather_variants,
    "gather-exceptions": gather_exceptions_variants,
    "gather-bounded": gather_bounded_variants,
    "first-completed": first_completed_variants,
    "as-completed": as_completed_variants,
    "task-group": task_group_variants,
    "timeout": timeout_variants,
    "lock": lambda n: guarded_variants(n, 1, "asyncio.Lock"),
    "semaphore": lambda n: guarded_variants(n, 16, "asyncio.Semaphore(16)"),
    "queue": queue_variants,
}


# --- cancellation ---


async def cancel_run(n):
    loop = asyncio.get_running_loop()
    before = scheduled_timers(loop)
    state = {"started": 0, "finalizers": 0}
    all_started = asyncio.Event()

    async def sleeper():
        try:
            state["started"] += 1
            if state["started"] == n:
                all_started.set()
            await asyncio.sleep(SLEEP_S)
        finally:
            state["finalizers"] += 1

    tasks = [asyncio.create_task(sleeper()) for _ in range(n)]
    await all_started.wait()
    start = time.perf_counter()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    ms = (time.perf_counter() - start) * 1000
    return {
        "ms": ms,
        "finalizers": state["finalizers"],
        "stillScheduled": scheduled_timers(loop) - before,
        "stillRunning": sum(1 for t in tasks if not t.done()),
    }


def check_cancel(outcome, n):
    check(outcome["finalizers"] == n, f"expected {n} finalizers, got {outcome['finalizers']}")
    check(outcome["stillRunning"] == 0, f"{outcome['stillRunning']} tasks still running")
    check(outcome["stillScheduled"] == 0, f"{outcome['stillScheduled']} timers still scheduled")


# --- memory: name -> list of (variant, start(n, gate, tick) -> awaitable outcome) ---


def memory_variants(workload, n):
    def pending(gate, tick):
        async def waiter(i):
            tick()
            await gate.wait()
            return i

        return waiter

    async def tasks_(waiter):
        tasks = [asyncio.create_task(waiter(i)) for i in range(n)]
        return await asyncio.gather(*tasks)

    async def gather_(waiter):
        return await asyncio.gather(*(waiter(i) for i in range(n)))

    async def group_(waiter):
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(waiter(i)) for i in range(n)]
        return [t.result() for t in tasks]

    async def wait_for_(waiter):
        return await asyncio.gather(*(asyncio.wait_for(waiter(i), TIMEOUT_S) for i in range(n)))

    async def timeout_(waiter):
        async def under(i):
            async with asyncio.timeout(TIMEOUT_S):
                return await waiter(i)

        return await asyncio.gather(*(under(i) for i in range(n)))

    async def as_completed_(waiter):
        out = []
        for future in asyncio.as_completed([waiter(i) for i in range(n)]):
            out.append(await future)
        return sorted(out)

    table = {
        "memory-tasks": [("asyncio.create_task", tasks_)],
        "memory-gather": [("asyncio.gather", gather_)],
        "memory-task-group": [("asyncio.TaskGroup", group_)],
        "memory-timeout": [("asyncio.wait_for", wait_for_), ("asyncio.timeout", timeout_)],
        "memory-as-completed": [("asyncio.as_completed", as_completed_)],
    }
    return [(name, body, pending) for name, body in table[workload]]


async def measure_memory(workload, variant_name, n):
    variants = {name: (body, pending) for name, body, pending in memory_variants(workload, n)}
    body, pending = variants[variant_name]
    gate = asyncio.Event()
    started = asyncio.Event()
    count = 0

    def tick():
        nonlocal count
        count += 1
        if count == n:
            started.set()

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    outcome = asyncio.ensure_future(body(pending(gate, tick)))
    await started.wait()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    gate.set()
    check_indices(await outcome, n)
    return (after - before) / n


# --- driver ---


def rotate(items, by):
    k = by % len(items) if items else 0
    return items[k:] + items[:k]


async def measure(workload, n, run, options):
    warmup_ms = options.get("warmup-ms", 150.0)
    measure_ms = options.get("measure-ms", 400.0)
    max_samples = int(options.get("max-samples", 30))
    out = []
    if workload.startswith("memory-"):
        name = options["variant"]
        bytes_per_task = await measure_memory(workload, name, n)
        return [{"bytesPerTask": bytes_per_task, "variant": name}]

    if workload == "cancellation":
        variants = [("task.cancel() + gather", lambda: cancel_run(n), lambda o: check_cancel(o, n))]
    else:
        variants = TIMED[workload](n)

    firsts = []
    per_call = []
    for name, run_fn, validate in variants:
        start = time.perf_counter()
        result = await run_fn()
        validate(result)
        firsts.append(result)
        spent = (time.perf_counter() - start) * 1000
        calls = 1
        while workload != "cancellation" and spent < warmup_ms and calls < 20:
            start = time.perf_counter()
            await run_fn()
            spent += (time.perf_counter() - start) * 1000
            calls += 1
        per_call.append(spent / calls)
    rounds = max(1, min(max_samples, int(measure_ms * len(variants) / sum(per_call))))
    samples = [[] for _ in variants]
    for r in range(rounds):
        for i in rotate(list(range(len(variants))), run + r):
            gc.collect()
            name, run_fn, validate = variants[i]
            if workload == "cancellation":
                outcome = await run_fn()
                validate(outcome)
                samples[i].append(outcome["ms"])
            else:
                start = time.perf_counter()
                await run_fn()
                samples[i].append((time.perf_counter() - start) * 1000)
    for i, (name, _, _) in enumerate(variants):
        sample = {"variant": name, "samplesMs": samples[i], "usPerTask": statistics.median(samples[i]) * 1000 / n}
        if workload == "cancellation":
            first = firsts[i]
            sample.update(
                finalizers=first["finalizers"],
                stillScheduled=first["stillScheduled"],
                stillRunning=first["stillRunning"],
                canCancel=True,
            )
        out.append(sample)
    return out


def variant_names(workload):
    """The variants of a memory workload (run.ts starts one process each)."""
    return [name for name, _, _ in memory_variants(workload, 1)]


async def self_test(n):
    """Runs every variant once at size n and validates it; nothing is timed."""
    checked = 0
    for workload, make in TIMED.items():
        for name, run_fn, validate in make(n):
            validate(await run_fn())
            checked += 1
    check_cancel(await cancel_run(n), n)
    checked += 1
    for workload in ("memory-tasks", "memory-gather", "memory-task-group", "memory-timeout", "memory-as-completed"):
        for name in variant_names(workload):
            await measure_memory(workload, name, n)
            checked += 1
    return checked


def main(argv):
    if len(argv) >= 2 and argv[0] == "--self-test":
        print(json.dumps({"checked": asyncio.run(self_test(int(argv[1])))}))
        return 0
    if len(argv) >= 2 and argv[0] == "--list-variants":
        print(json.dumps(variant_names(argv[1])))
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    workload, sizes = argv[0], [int(n) for n in argv[1].split(",")]
    run = int(argv[2]) if len(argv) > 2 else 0
    options = {}
    for arg in argv[3:]:
        key, _, value = arg[2:].partition("=")
        options[key] = value if key == "variant" else float(value)
    if not workload.startswith("memory-") and workload not in TIMED and workload != "cancellation":
        print(f"unknown workload {workload!r}", file=sys.stderr)
        return 2
    for n in sizes:
        samples = asyncio.run(measure(workload, n, run, options))
        for sample in samples:
            record = {"workload": workload, "kind": "python", "role": None, "n": n, "run": run}
            record.update(sample)
            print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
