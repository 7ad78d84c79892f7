-- AlterTable
ALTER TABLE "Track" ADD COLUMN     "albumArtist" TEXT,
ADD COLUMN     "artistMbid" TEXT,
ADD COLUMN     "audioHash" TEXT,
ADD COLUMN     "discNumber" INTEGER,
ADD COLUMN     "fileStamp" TEXT,
ADD COLUMN     "fingerprint" BYTEA,
ADD COLUMN     "genre" TEXT,
ADD COLUMN     "isrc" TEXT,
ADD COLUMN     "missingSince" TIMESTAMP(3),
ADD COLUMN     "recordingMbid" TEXT,
ADD COLUMN     "releaseMbid" TEXT,
ADD COLUMN     "trackNumber" INTEGER,
ADD COLUMN     "year" INTEGER;

-- CreateTable
CREATE TABLE "TrackFileEvent" (
    "id" SERIAL NOT NULL,
    "trackId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackFileEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrackFileEvent_trackId_idx" ON "TrackFileEvent"("trackId");

-- CreateIndex
CREATE UNIQUE INDEX "Track_audioHash_key" ON "Track"("audioHash");

-- CreateIndex
CREATE INDEX "Track_recordingMbid_idx" ON "Track"("recordingMbid");

-- CreateIndex
CREATE INDEX "Track_isrc_idx" ON "Track"("isrc");

-- AddForeignKey
ALTER TABLE "TrackFileEvent" ADD CONSTRAINT "TrackFileEvent_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track"("id") ON DELETE CASCADE ON UPDATE CASCADE;
