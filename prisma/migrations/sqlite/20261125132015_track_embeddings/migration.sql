-- CreateTable
CREATE TABLE "TrackEmbedding" (
    "modelRunId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "convMax" BLOB NOT NULL,
    "convMean" BLOB NOT NULL,
    "dense" BLOB NOT NULL,

    PRIMARY KEY ("modelRunId", "trackId"),
    CONSTRAINT "TrackEmbedding_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TrackEmbedding_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TrackEmbedding_trackId_idx" ON "TrackEmbedding"("trackId");
