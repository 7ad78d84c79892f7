import { dirname } from "node:path";

import type { Command } from "commander";
import { runJob } from "../jobs/job.js";
import { PRESETS, type PresetName } from "../model/architecture.js";
import type { TrainingInputs } from "../model/run-record.js";
import { TRAINING_DEFAULTS, type KeptWeights, type Monitor, type OptimizerKind, type WeightInit } from "../model/schedule.js";
import { DEFAULT_CROPS_PER_EPOCH, DEFAULT_PRESET, runTrain, type TrainResume, type TrainStageOptions, type TrainStageResult } from "../model/stage-train.js";
import { runPredict, type PredictMode } from "../model/stage-predict.js";
import { PRETRAIN_DEFAULTS } from "../model/pretrain-options.js";
import { runPretrain, type PretrainStageOptions, type PretrainStageResult } from "../model/stage-pretrain.js";
import { runActivations } from "../model/stage-activations.js";
import { runEnsemble } from "../model/stage-ensemble.js";
import { AUDIO_MODEL_RULES, type AudioModelRule } from "../model/model-choice.js";
import { withDb } from "./with-db.js";
import { integer, integerList, number, oneOf } from "./parse.js";

export function registerModelCommands(program: Command): void {
  const d = TRAINING_DEFAULTS;
  const plateau = d.schedule.kind === "plateau" ? ` (default ${d.schedule.patience})` : "";
  program
    .command("train")
    .summary("fit the convnet to regress CF factors from audio")
    .description("fit the convnet to regress unit-normalised CF factors from log-mel spectrograms (cold tracks never seen)")
    .option("--preset <preset>", "tiny (very small corpora), small (CI, corpora of hundreds of tracks) or full (the blog post's network)", oneOf<PresetName>(["tiny", "small", "full"]), DEFAULT_PRESET)
    .option("--dropout <p>", `dropout after each dense layer (default: the preset's, ${PRESETS[DEFAULT_PRESET].dropout})`, number)
    .option("--epochs <n>", `last epoch to run; a resumed run continues up to it (default ${d.epochs})`, integer)
    .option("--batch <n>", `tracks per minibatch (default ${d.batchSize})`, integer)
    .option("--optimizer <kind>", `nesterov (SGD with Nesterov momentum, the paper's) or adam (default ${d.optimizer})`, oneOf<OptimizerKind>(["nesterov", "adam"]))
    .option("--lr <x>", `initial (peak) learning rate (default ${d.learningRate})`, number)
    .option("--warmup <epochs>", `epochs of linear learning-rate warm-up (default ${d.warmupEpochs})`, number)
    .option("--plateau-patience <n>", `epochs without validation improvement before the learning rate halves${plateau}`, integer)
    .option("--loss <reduction>", `squared error summed or averaged over the factor dimensions (default ${d.loss})`, oneOf<"mean" | "sum">(["mean", "sum"]))
    .option("--weight-decay <x>", `L2 penalty on conv and dense kernels (default ${d.weightDecay})`, number)
    .option("--clip-norm <x>", `clip the gradients' global L2 norm to this, 0 for none (default ${d.clipNorm})`, number)
    .option("--centre-targets", `start the output bias at the mean target, so the net learns the offsets from it (default ${d.centreTargets ? "on" : "off"})`)
    .option("--no-centre-targets", "start the output layer from its random initialisation (zero bias)")
    .option("--weight-init <scheme>", `conv/dense kernel initialisation, he or glorot (default ${d.initializer})`, oneOf<WeightInit>(["he", "glorot"]))
    .option("--init <encoder>", "pretrained encoder folder (`curator pretrain`) the conv and hidden layers start from, or none for random weights (default: the shipped encoder when --preset is its architecture)")
    .option("--patience <n>", `early stopping: epochs without validation improvement (default ${d.patience})`, integer)
    .option(
      "--monitor <measure>",
      `what the best epoch, early stopping and the learning-rate schedule follow: loss (validation MSE) or auc (users ranking the validation tracks) (default ${d.monitor})`,
      oneOf<Monitor>(["loss", "auc"]),
    )
    .option("--freq-masks <n>", `SpecAugment: masks of mel bands per training crop (default ${d.masks.freqMasks})`, integer)
    .option("--freq-mask-width <bins>", `widest frequency mask, in mel bins (default ${d.masks.freqMaskWidth})`, integer)
    .option("--time-masks <n>", `SpecAugment: masks of frames per training crop (default ${d.masks.timeMasks})`, integer)
    .option("--time-mask-width <frames>", `widest time mask, in frames (default ${d.masks.timeMaskWidth})`, integer)
    .option("--keep <weights>", `weights the run ends with: best (by --monitor) or last epoch (default ${d.keepWeights})`, oneOf<KeptWeights>(["best", "last"]))
    .option("--seed <n>", `seed of the split, the initial weights, shuffling and crops (default ${d.seed})`, integer)
    .option("--validation <share>", "share of the tracks with CF factors kept for validation", number, 0.15)
    .option("--inputs <inputs>", "training crops from the middle excerpt or from anywhere in the track (whole-track windows)", oneOf<TrainingInputs>(["middle", "whole"]), "whole" as TrainingInputs)
    .option("--crops <n>", "random crops of each training track per epoch", integer, DEFAULT_CROPS_PER_EPOCH)
    .option(
      "--audio-model <rule>",
      "what backs the run's predictions: best (the convnet or the MFCC bag-of-words baseline, whichever ranks the validation tracks better), convnet or baseline",
      oneOf<AudioModelRule>(AUDIO_MODEL_RULES),
      "best" as AudioModelRule,
    )
    .option("--resume", "continue the interrupted (or newest) run from its newest checkpoint")
    .option("--force-backend", "train even on the slow pure-JS or wasm TensorFlow.js backend")
    .action(async (opts: TrainCli) => {
      await withDb(async (db) => {
        const { batch, lr, crops, warmup, weightInit, keep, freqMasks, freqMaskWidth, timeMasks, timeMaskWidth, ...rest } = opts;
        const options: TrainStageOptions = {
          ...rest,
          batchSize: batch,
          learningRate: lr,
          cropsPerEpoch: crops,
          warmupEpochs: warmup,
          initializer: weightInit,
          keepWeights: keep,
          masks: { freqMasks, freqMaskWidth, timeMasks, timeMaskWidth },
        };
        const outcome = await runJob<TrainResume, TrainStageResult>(db, { stage: "train", params: { ...options }, resume: opts.resume }, (job) => runTrain(db, job, options));
        const r = outcome.result;
        const auc = r.bestValAuc === undefined ? "" : `, AUC ${r.bestValAuc.toFixed(4)}`;
        console.error(
          `train: model run #${r.modelRunId} READY: ${r.epochsDone} epochs${r.stoppedEarly ? " (stopped early)" : ""}, best epoch ${r.bestEpoch} ` +
            `(validation loss ${r.bestValLoss.toFixed(5)}${auc}), weights of epoch ${r.keptEpoch} kept; ${r.trainTracks} training / ${r.validationTracks} validation tracks; ${r.checkpoint}; ` +
            `predictions from the ${r.audioModel.backing === "convnet" ? "convnet" : "MFCC baseline"} (${r.audioModel.decidedBy})`,
        );
      });
    });

  const p = PRETRAIN_DEFAULTS;
  program
    .command("pretrain")
    .description("self-supervised contrastive pretraining of the convnet on every track's audio (no listens): two augmented crops of a track are a pair (NT-Xent); the encoder `curator train --init` starts from")
    .option("--preset <preset>", "network size: tiny, small or full (the shipped encoder is small)", oneOf<PresetName>(["tiny", "small", "full"]), DEFAULT_PRESET)
    // Not --dir: tfjs-node's binary lookup (node-pre-gyp) reads process.argv and takes --dir for its own directory.
    .option("--folder <dir>", "the run's folder: run.json, checkpoints/, encoder/ (default data/pretrain)")
    .option("--inputs <inputs>", "crops from anywhere in the track (whole-track windows) or from its middle excerpt", oneOf<TrainingInputs>(["middle", "whole"]), "whole" as TrainingInputs)
    .option("--epochs <n>", `last epoch to run; a resumed run continues up to it (default ${p.epochs})`, integer)
    .option("--batch <n>", `tracks (pairs) per batch; the other tracks of a batch are each pair's negatives (default ${p.batchSize})`, integer)
    .option("--lr <x>", `Adam learning rate (default ${p.learningRate})`, number)
    .option("--temperature <t>", `NT-Xent temperature (default ${p.temperature})`, number)
    .option("--projection <dims>", `projection head size the loss compares in (default ${p.projectionDims})`, integer)
    .option("--passes <n>", `random pairs of crops per track and epoch (default ${p.passes})`, integer)
    .option("--weight-decay <x>", `L2 penalty on conv and dense kernels (default ${p.weightDecay})`, number)
    .option("--gain <x>", `largest level change, standardised units (default ${p.augment.gain})`, number)
    .option("--tilt <x>", `largest spectral tilt (default ${p.augment.tilt})`, number)
    .option("--eq <x>", `largest EQ bump (default ${p.augment.eq})`, number)
    .option("--freq-masks <n>", `frequency masks per view (default ${p.masks.freqMasks})`, integer)
    .option("--time-masks <n>", `time masks per view (default ${p.masks.timeMasks})`, integer)
    .option("--validation <share>", "share of the tracks kept for the validation loss (default 0.1)", number)
    .option("--seed <n>", `seed of the split, initial weights, crops and augmentations (default ${p.seed})`, integer)
    .option("--resume", "continue the run in --dir from its newest checkpoint")
    .option("--force-backend", "train even on the slow pure-JS or wasm TensorFlow.js backend")
    .action(async (opts: PretrainCli) => {
      await withDb(async (db) => {
        const { batch, lr, projection, gain, tilt, eq, freqMasks, timeMasks, folder, ...rest } = opts;
        const options: PretrainStageOptions = {
          ...rest,
          dir: folder,
          batchSize: batch,
          learningRate: lr,
          projectionDims: projection,
          augment: { gain, tilt, eq },
          masks: { freqMasks, timeMasks },
          command: `curator ${process.argv.slice(2).join(" ")}`,
        };
        const outcome = await runJob<{ dir: string }, PretrainStageResult>(db, { stage: "pretrain", params: { ...options }, resume: opts.resume }, (job) =>
          runPretrain(db, job, options),
        );
        const r = outcome.result;
        console.error(
          `pretrain: ${r.epochsDone} epochs in ${r.dir}; encoder of epoch ${r.keptEpoch} (contrastive loss ${r.trainLoss.toFixed(4)}, validation ${r.valLoss.toFixed(4)}; ` +
            `${r.trainTracks} training / ${r.validationTracks} validation tracks): ${r.encoder}; fine-tune with \`curator train --init ${dirname(r.encoder)}\``,
        );
      });
    });

  program
    .command("predict")
    .summary("predicted factors for new or changed tracks")
    .description(
      "predicted factors for every track (cold-start ones included) from the weights a model run kept (train --keep); " +
        "tracks the active set already holds from the same checkpoint, with features unchanged since, keep their rows " +
        "(a new set is still written and switched to when complete)",
    )
    .option("--run <id>", "model run (default: the newest READY one)", integer)
    .option("--mode <mode>", "middle (centre excerpt), whole (mean over the track's windows) or both", oneOf(["middle", "whole", "both"] as const), "both")
    .option("--passes <n>", "MC dropout passes for each track's spread", integer, 10)
    .option("--all", "predict every track again, even unchanged ones")
    .action(async (opts: { run?: number; mode: PredictMode | "both"; passes: number; all?: boolean }) => {
      const modes: PredictMode[] = opts.mode === "both" ? ["middle", "whole"] : [opts.mode];
      await withDb(async (db) => {
        const outcome = await runJob(db, { stage: "predict", params: { ...opts } }, (job) =>
          runPredict(db, job, { runId: opts.run, modes, passes: opts.passes, all: opts.all }),
        );
        const r = outcome.result;
        for (const s of r.sets) {
          const reuse = s.reusedFrom === null ? "" : `, ${s.tracks - s.computed} kept from set #${s.reusedFrom}`;
          console.error(`predict: model run #${r.modelRunId} → ${s.kind} factor set #${s.factorSetId} active (${s.tracks} tracks: ${s.computed} predicted${reuse})`);
        }
      });
    });

  program
    .command("ensemble")
    .summary("average several model runs' predicted factors")
    .description("the mean of several model runs' predicted factors (runs trained with different --seed, each predicted) as the active predicted sets")
    .requiredOption("--runs <ids>", "model runs, comma-separated (e.g. 4,5,6)", integerList)
    .option("--mode <mode>", "middle, whole or both", oneOf(["middle", "whole", "both"] as const), "both")
    .action(async (opts: { runs: number[]; mode: PredictMode | "both" }) => {
      const modes: PredictMode[] = opts.mode === "both" ? ["middle", "whole"] : [opts.mode];
      await withDb(async (db) => {
        const outcome = await runJob(db, { stage: "ensemble", params: { ...opts } }, (job) => runEnsemble(db, job, { runIds: opts.runs, modes }));
        const r = outcome.result;
        for (const s of r.sets) console.error(`ensemble: model runs #${r.runIds.join(", #")} → ${s.kind} factor set #${s.factorSetId} active (${s.tracks} tracks, mean of sets #${s.members.join(", #")})`);
      });
    });

  program
    .command("activations")
    .summary("rank tracks per convnet filter; filter pictures")
    .description("rank tracks per first-layer filter (max, mean over time) and per last hidden unit; filter weight pictures")
    .option("--run <id>", "model run (default: the newest READY one)", integer)
    .option("--top <n>", "tracks kept per filter and mode", integer, 50)
    .action(async (opts: { run?: number; top: number }) => {
      await withDb(async (db) => {
        const outcome = await runJob(db, { stage: "activations", params: { ...opts } }, (job) => runActivations(db, job, { runId: opts.run, top: opts.top }));
        const r = outcome.result;
        console.error(`activations: model run #${r.modelRunId}: ${r.convFilters} CONV1 filters and ${r.denseUnits} DENSE units ranked over ${r.tracks} tracks; pictures in ${r.imageDir}`);
      });
    });
}

interface TrainCli {
  preset: PresetName;
  dropout?: number;
  epochs?: number;
  batch?: number;
  optimizer?: OptimizerKind;
  lr?: number;
  warmup?: number;
  plateauPatience?: number;
  loss?: "mean" | "sum";
  weightDecay?: number;
  clipNorm?: number;
  centreTargets?: boolean;
  weightInit?: WeightInit;
  init?: string;
  patience?: number;
  monitor?: Monitor;
  keep?: KeptWeights;
  freqMasks?: number;
  freqMaskWidth?: number;
  timeMasks?: number;
  timeMaskWidth?: number;
  seed?: number;
  validation: number;
  inputs: TrainingInputs;
  crops: number;
  audioModel: AudioModelRule;
  resume?: boolean;
  forceBackend?: boolean;
}

interface PretrainCli {
  preset: PresetName;
  inputs: TrainingInputs;
  folder?: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  temperature?: number;
  projection?: number;
  passes?: number;
  weightDecay?: number;
  gain?: number;
  tilt?: number;
  eq?: number;
  freqMasks?: number;
  timeMasks?: number;
  validation?: number;
  seed?: number;
  resume?: boolean;
  forceBackend?: boolean;
}
