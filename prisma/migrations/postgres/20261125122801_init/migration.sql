-- CreateEnum
CREATE TYPE "FactorKind" AS ENUM ('CF', 'PREDICTED_MIDDLE', 'PREDICTED_WHOLE');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('BUILDING', 'READY', 'FAILED', 'RETIRED');

-- CreateEnum
CREATE TYPE "FeatureMode" AS ENUM ('MIDDLE', 'WHOLE');

-- CreateEnum
CREATE TYPE "FilterLayer" AS ENUM ('CONV1', 'DENSE');

-- CreateEnum
CREATE TYPE "ActivationMode" AS ENUM ('MAX', 'MEAN');

-- CreateEnum
CREATE TYPE "OutlierKind" AS ENUM ('INTRO', 'OUTRO', 'INTERLUDE', 'COVER', 'REMIX', 'ATYPICAL');

-- CreateEnum
CREATE TYPE "FlagStatus" AS ENUM ('OPEN', 'CONFIRMED', 'REJECTED');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ANALYST', 'EDITOR', 'ADMIN');

-- CreateTable
CREATE TABLE "Artist" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Artist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Album" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "licence" TEXT,

    CONSTRAINT "Album_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Track" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "artistId" INTEGER NOT NULL,
    "albumId" INTEGER,
    "position" INTEGER,
    "durationSec" DOUBLE PRECISION NOT NULL,
    "audioPath" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "channels" INTEGER NOT NULL,
    "sampleRate" INTEGER NOT NULL,
    "codec" TEXT NOT NULL,
    "isShort" BOOLEAN NOT NULL DEFAULT false,
    "isSilent" BOOLEAN NOT NULL DEFAULT false,
    "origin" TEXT NOT NULL DEFAULT 'recording',
    "derivedFromId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Track_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "externalId" TEXT NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Listen" (
    "userId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "plays" INTEGER NOT NULL,
    "heldOut" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Listen_pkey" PRIMARY KEY ("userId","trackId")
);

-- CreateTable
CREATE TABLE "FactorSet" (
    "id" SERIAL NOT NULL,
    "kind" "FactorKind" NOT NULL,
    "dims" INTEGER NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'BUILDING',
    "params" TEXT NOT NULL,
    "modelRunId" INTEGER,
    "jobId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "FactorSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActiveFactorSet" (
    "kind" "FactorKind" NOT NULL,
    "factorSetId" INTEGER NOT NULL,
    "switchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActiveFactorSet_pkey" PRIMARY KEY ("kind")
);

-- CreateTable
CREATE TABLE "ItemFactor" (
    "factorSetId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "unit" BYTEA NOT NULL,
    "raw" BYTEA NOT NULL,
    "norm" DOUBLE PRECISION NOT NULL,
    "spread" DOUBLE PRECISION,

    CONSTRAINT "ItemFactor_pkey" PRIMARY KEY ("factorSetId","trackId")
);

-- CreateTable
CREATE TABLE "UserFactor" (
    "factorSetId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "raw" BYTEA NOT NULL,

    CONSTRAINT "UserFactor_pkey" PRIMARY KEY ("factorSetId","userId")
);

-- CreateTable
CREATE TABLE "FeatureCache" (
    "trackId" INTEGER NOT NULL,
    "mode" "FeatureMode" NOT NULL,
    "paramsHash" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "frames" INTEGER NOT NULL,
    "windows" INTEGER NOT NULL DEFAULT 1,
    "padded" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeatureCache_pkey" PRIMARY KEY ("trackId","mode","paramsHash")
);

-- CreateTable
CREATE TABLE "ModelRun" (
    "id" SERIAL NOT NULL,
    "preset" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'BUILDING',
    "epochsDone" INTEGER NOT NULL DEFAULT 0,
    "bestValLoss" DOUBLE PRECISION,
    "checkpointPath" TEXT,
    "lossCurve" TEXT NOT NULL DEFAULT '[]',
    "backend" TEXT,
    "jobId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ModelRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Filter" (
    "id" SERIAL NOT NULL,
    "modelRunId" INTEGER NOT NULL,
    "layer" "FilterLayer" NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT,
    "weightImage" TEXT,

    CONSTRAINT "Filter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FilterActivation" (
    "filterId" INTEGER NOT NULL,
    "mode" "ActivationMode" NOT NULL,
    "rank" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "FilterActivation_pkey" PRIMARY KEY ("filterId","mode","rank")
);

-- CreateTable
CREATE TABLE "MapLayout" (
    "id" SERIAL NOT NULL,
    "factorSetId" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'BUILDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MapLayout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MapPoint" (
    "layoutId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "x" DOUBLE PRECISION NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "MapPoint_pkey" PRIMARY KEY ("layoutId","trackId")
);

-- CreateTable
CREATE TABLE "OutlierFlag" (
    "id" SERIAL NOT NULL,
    "trackId" INTEGER NOT NULL,
    "kind" "OutlierKind" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "FlagStatus" NOT NULL DEFAULT 'OPEN',
    "verdictNote" TEXT,
    "verdictBy" TEXT,
    "verdictAt" TIMESTAMP(3),
    "jobId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutlierFlag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Playlist" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Playlist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaylistItem" (
    "id" SERIAL NOT NULL,
    "playlistId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "PlaylistItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "stage" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "params" TEXT NOT NULL DEFAULT '{}',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "error" TEXT,
    "checkpoint" TEXT,
    "series" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobBadItem" (
    "id" SERIAL NOT NULL,
    "jobId" INTEGER NOT NULL,
    "item" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "JobBadItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "metrics" TEXT NOT NULL,
    "tableText" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Artist_name_key" ON "Artist"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Album_source_title_key" ON "Album"("source", "title");

-- CreateIndex
CREATE UNIQUE INDEX "Track_externalId_key" ON "Track"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Track_contentHash_key" ON "Track"("contentHash");

-- CreateIndex
CREATE INDEX "Track_artistId_idx" ON "Track"("artistId");

-- CreateIndex
CREATE INDEX "Track_albumId_position_idx" ON "Track"("albumId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "User_externalId_key" ON "User"("externalId");

-- CreateIndex
CREATE INDEX "Listen_trackId_idx" ON "Listen"("trackId");

-- CreateIndex
CREATE INDEX "FactorSet_kind_status_idx" ON "FactorSet"("kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Filter_modelRunId_layer_index_key" ON "Filter"("modelRunId", "layer", "index");

-- CreateIndex
CREATE INDEX "FilterActivation_trackId_idx" ON "FilterActivation"("trackId");

-- CreateIndex
CREATE INDEX "OutlierFlag_status_kind_idx" ON "OutlierFlag"("status", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "OutlierFlag_trackId_kind_key" ON "OutlierFlag"("trackId", "kind");

-- CreateIndex
CREATE INDEX "PlaylistItem_playlistId_position_idx" ON "PlaylistItem"("playlistId", "position");

-- CreateIndex
CREATE INDEX "Job_stage_status_idx" ON "Job"("stage", "status");

-- CreateIndex
CREATE INDEX "JobBadItem_jobId_idx" ON "JobBadItem"("jobId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "Evaluation_name_createdAt_idx" ON "Evaluation"("name", "createdAt");

-- AddForeignKey
ALTER TABLE "Track" ADD CONSTRAINT "Track_artistId_fkey" FOREIGN KEY ("artistId") REFERENCES "Artist"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Track" ADD CONSTRAINT "Track_albumId_fkey" FOREIGN KEY ("albumId") REFERENCES "Album"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Track" ADD CONSTRAINT "Track_derivedFromId_fkey" FOREIGN KEY ("derivedFromId") REFERENCES "Track"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Listen" ADD CONSTRAINT "Listen_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Listen" ADD CONSTRAINT "Listen_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FactorSet" ADD CONSTRAINT "FactorSet_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActiveFactorSet" ADD CONSTRAINT "ActiveFactorSet_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemFactor" ADD CONSTRAINT "ItemFactor_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemFactor" ADD CONSTRAINT "ItemFactor_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserFactor" ADD CONSTRAINT "UserFactor_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserFactor" ADD CONSTRAINT "UserFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeatureCache" ADD CONSTRAINT "FeatureCache_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Filter" ADD CONSTRAINT "Filter_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FilterActivation" ADD CONSTRAINT "FilterActivation_filterId_fkey" FOREIGN KEY ("filterId") REFERENCES "Filter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FilterActivation" ADD CONSTRAINT "FilterActivation_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MapLayout" ADD CONSTRAINT "MapLayout_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MapPoint" ADD CONSTRAINT "MapPoint_layoutId_fkey" FOREIGN KEY ("layoutId") REFERENCES "MapLayout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MapPoint" ADD CONSTRAINT "MapPoint_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutlierFlag" ADD CONSTRAINT "OutlierFlag_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaylistItem" ADD CONSTRAINT "PlaylistItem_playlistId_fkey" FOREIGN KEY ("playlistId") REFERENCES "Playlist"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaylistItem" ADD CONSTRAINT "PlaylistItem_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobBadItem" ADD CONSTRAINT "JobBadItem_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
