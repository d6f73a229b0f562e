-- Hashes of the blocks an indexer stored: every block with events and the last block of every range it passed,
-- for the newest few thousand blocks behind its cursor. When the hash of the cursor's block changes on the chain (a
-- reorganisation), the indexer walks these back to the newest block the chain still has, rolls every row above it
-- back (Store.rollBackTo) and indexes the new branch.
CREATE TABLE indexed_blocks (
    cursor_name   TEXT NOT NULL,
    block_number  block_number NOT NULL,
    block_hash    hash32 NOT NULL,
    PRIMARY KEY (cursor_name, block_number)
);
