import assert from "node:assert/strict";
import { test } from "node:test";
import { parseQueueNames, QUEUE_NAMES, WORKER_QUEUE_NAMES } from "@curator/worker/queue/queues.js";

test("curator worker serves every queue but index, whose builds run where FAISS is", () => {
  assert.deepEqual([...WORKER_QUEUE_NAMES, "index"].sort(), [...QUEUE_NAMES].sort());
  assert.deepEqual(parseQueueNames("predict, features,predict"), ["predict", "features"]);
  assert.throws(() => parseQueueNames("features,index"), /index builds run in `node server\/dist\/index-worker\.js`/);
  assert.throws(() => parseQueueNames("features,thumbnails"), /unknown queue thumbnails; the queues are features, predict, jobs/);
  assert.throws(() => parseQueueNames(" , "), /no queue named/);
});
