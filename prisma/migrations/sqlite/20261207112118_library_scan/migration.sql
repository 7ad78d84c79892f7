-- AlterTable
ALTER TABLE "Track" ADD COLUMN "albumArtist" TEXT;
ALTER TABLE "Track" ADD COLUMN "artistMbid" TEXT;
ALTER TABLE "Track" ADD COLUMN "audioHash" TEXT;
ALTER TABLE "Track" ADD COLUMN "discNumber" INTEGER;
ALTER TABLE "Track" ADD COLUMN "fileStamp" TEXT;
ALTER TABLE "Track" ADD COLUMN "fingerprint" BLOB;
ALTER TABLE "Track" ADD COLUMN "genre" TEXT;
ALTER TABLE "Track" ADD COLUMN "isrc" TEXT;
ALTER TABLE "Track" ADD COLUMN "missingSince" DATETIME;
ALTER TABLE "Track" ADD COLUMN "recordingMbid" TEXT;
ALTER TABLE "Track" ADD COLUMN "releaseMbid" TEXT;
ALTER TABLE "Track" ADD COLUMN "trackNumber" INTEGER;
ALTER TABLE "Track" ADD COLUMN "year" INTEGER;

-- CreateTable
CREATE TABLE "TrackFileEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "trackId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrackFileEvent_trackId_fkey" FOREIGN KEY ("trackId") REFERENCES "Track" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TrackFileEvent_trackId_idx" ON "TrackFileEvent"("trackId");

-- CreateIndex
CREATE UNIQUE INDEX "Track_audioHash_key" ON "Track"("audioHash");

-- CreateIndex
CREATE INDEX "Track_recordingMbid_idx" ON "Track"("recordingMbid");

-- CreateIndex
CREATE INDEX "Track_isrc_idx" ON "Track"("isrc");
