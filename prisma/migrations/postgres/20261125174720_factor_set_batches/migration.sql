-- CreateTable
CREATE TABLE "FactorSetBatch" (
    "factorSetId" INTEGER NOT NULL,
    "batch" INTEGER NOT NULL,
    "trackIds" TEXT NOT NULL,
    "tracks" INTEGER NOT NULL,
    "written" INTEGER,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "FactorSetBatch_pkey" PRIMARY KEY ("factorSetId","batch")
);

-- AddForeignKey
ALTER TABLE "FactorSetBatch" ADD CONSTRAINT "FactorSetBatch_factorSetId_fkey" FOREIGN KEY ("factorSetId") REFERENCES "FactorSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
