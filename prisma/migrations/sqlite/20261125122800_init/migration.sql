-- CreateTable
CREATE TABLE "Artist" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Album" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "licence" TEXT
);

-- CreateTable
CREATE TABLE "Track" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "externalId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "artistId" INTEGER NOT NULL,
    "albumId" INTEGER,
    "position" INTEGER,
    "durationSec" REAL NOT NULL,
    "audioPath" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "channels" INTEGER NOT NULL,
    "sampleRate" INTEGER NOT NULL,
    "codec" TEXT NOT NULL,
    "isShort" BOOLEAN NOT NULL DEFAULT false,
    "isSilent" BOOLEAN NOT NULL DEFAULT false,
    "origin" TEXT NOT NULL DEFAULT 'recording',
    "derivedFromId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Track_artistId_fkey" FOREIGN KEY ("artistId") REFERENCES "Artist" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Track_albumId_fkey" FOREIGN KEY ("albumId") REFERENCES "Album" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Track_derivedFromId_fkey" FOREIGN KEY ("derivedFromId") REFERENCES "Track" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "externalId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Listen" (
    "userId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "plays" INTEGER NOT NULL,
    "heldOut" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("userId", "trackId"),
    CONSTRAINT "Listen_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Listen_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FactorSet" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "dims" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'BUILDING',
    "params" TEXT NOT NULL,
    "modelRunId" INTEGER,
    "jobId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    CONSTRAINT "FactorSet_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActiveFactorSet" (
    "kind" TEXT NOT NULL PRIMARY KEY,
    "factorSetId" INTEGER NOT NULL,
    "switchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ActiveFactorSet_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ItemFactor" (
    "factorSetId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "unit" BLOB NOT NULL,
    "raw" BLOB NOT NULL,
    "norm" REAL NOT NULL,
    "spread" REAL,

    PRIMARY KEY ("factorSetId", "trackId"),
    CONSTRAINT "ItemFactor_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ItemFactor_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UserFactor" (
    "factorSetId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "raw" BLOB NOT NULL,

    PRIMARY KEY ("factorSetId", "userId"),
    CONSTRAINT "UserFactor_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UserFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FeatureCache" (
    "trackId" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "paramsHash" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "frames" INTEGER NOT NULL,
    "windows" INTEGER NOT NULL DEFAULT 1,
    "padded" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("trackId", "mode", "paramsHash"),
    CONSTRAINT "FeatureCache_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ModelRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "preset" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'BUILDING',
    "epochsDone" INTEGER NOT NULL DEFAULT 0,
    "bestValLoss" REAL,
    "checkpointPath" TEXT,
    "lossCurve" TEXT NOT NULL DEFAULT '[]',
    "backend" TEXT,
    "jobId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Filter" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "modelRunId" INTEGER NOT NULL,
    "layer" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT,
    "weightImage" TEXT,
    CONSTRAINT "Filter_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FilterActivation" (
    "filterId" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "value" REAL NOT NULL,

    PRIMARY KEY ("filterId", "mode", "rank"),
    CONSTRAINT "FilterActivation_filterId_fkey" FOREIGN KEY ("filterId") REFERENCES "Filter" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "FilterActivation_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MapLayout" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "factorSetId" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'BUILDING',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MapLayout_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MapPoint" (
    "layoutId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "x" REAL NOT NULL,
    "y" REAL NOT NULL,

    PRIMARY KEY ("layoutId", "trackId"),
    CONSTRAINT "MapPoint_layoutId_fkey" FOREIGN KEY ("layoutId") REFERENCES "MapLayout" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MapPoint_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutlierFlag" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "trackId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "verdictNote" TEXT,
    "verdictBy" TEXT,
    "verdictAt" DATETIME,
    "jobId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OutlierFlag_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Playlist" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PlaylistItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "playlistId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    CONSTRAINT "PlaylistItem_playlistId_fkey" FOREIGN KEY ("playlistId") REFERENCES "Playlist" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PlaylistItem_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "params" TEXT NOT NULL DEFAULT '{}',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "error" TEXT,
    "checkpoint" TEXT,
    "series" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "heartbeatAt" DATETIME
);

-- CreateTable
CREATE TABLE "JobBadItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "jobId" INTEGER NOT NULL,
    "item" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    CONSTRAINT "JobBadItem_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "metrics" TEXT NOT NULL,
    "tableText" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
