-- CreateTable
CREATE TABLE "FlagDecision" (
    "id" SERIAL NOT NULL,
    "flagId" INTEGER NOT NULL,
    "status" "FlagStatus" NOT NULL,
    "note" TEXT,
    "by" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlagDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FlagDecision_flagId_id_idx" ON "FlagDecision"("flagId", "id");

-- AddForeignKey
ALTER TABLE "FlagDecision" ADD CONSTRAINT "FlagDecision_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "OutlierFlag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Verdicts given before the history existed become its first entries.
INSERT INTO "FlagDecision" ("flagId", "status", "note", "by", "at")
SELECT "id", "status", "verdictNote", "verdictBy", "verdictAt" FROM "OutlierFlag"
WHERE "status" <> 'OPEN' AND "verdictBy" IS NOT NULL AND "verdictAt" IS NOT NULL;
