import { test } from "node:test";
import assert from "node:assert/strict";
import { CONVNET_AUC_MARGIN, convnetWinsOnAuc } from "@curator/worker/model/model-choice.js";

test("the convnet backs a run only when its validation AUC leads the baseline's by more than the margin", () => {
  assert.equal(CONVNET_AUC_MARGIN, 0.05);
  // The demo run of 2026-12-07: a 0.04 lead on 6 validation tracks, while cold-start put the baseline far ahead.
  assert.equal(convnetWinsOnAuc(0.518, 0.478), false);
  assert.equal(convnetWinsOnAuc(0.6, 0.6), false, "a tie goes to the baseline");
  assert.equal(convnetWinsOnAuc(0.549, 0.5), false);
  assert.equal(convnetWinsOnAuc(0.551, 0.5), true);
  assert.equal(convnetWinsOnAuc(0.9, 0.6), true);
  assert.equal(convnetWinsOnAuc(0.5, 0.7), false);
});
