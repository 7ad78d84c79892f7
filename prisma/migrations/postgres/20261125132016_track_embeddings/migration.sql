-- CreateTable
CREATE TABLE "TrackEmbedding" (
    "modelRunId" INTEGER NOT NULL,
    "trackId" INTEGER NOT NULL,
    "convMax" BYTEA NOT NULL,
    "convMean" BYTEA NOT NULL,
    "dense" BYTEA NOT NULL,

    CONSTRAINT "TrackEmbedding_pkey" PRIMARY KEY ("modelRunId","trackId")
);

-- CreateIndex
CREATE INDEX "TrackEmbedding_trackId_idx" ON "TrackEmbedding"("trackId");

-- AddForeignKey
ALTER TABLE "TrackEmbedding" ADD CONSTRAINT "TrackEmbedding_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackEmbedding" ADD CONSTRAINT "TrackEmbedding_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;
