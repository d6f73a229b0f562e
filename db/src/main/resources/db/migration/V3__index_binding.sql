-- Which chain and deployment the index belongs to (one row). The coordinator compares it with the chain it is
-- pointed at before it indexes anything: a redeployed chain with the same addresses has another deployment block
-- hash, so its slots are never mixed with the old chain's.
CREATE TABLE index_binding (
    id                 BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    chain_id           BIGINT NOT NULL CHECK (chain_id > 0),
    market             TEXT NOT NULL CHECK (market ~ '^0x[0-9a-f]{40}$'),
    deploy_block       block_number NOT NULL,
    deploy_block_hash  hash32 NOT NULL,
    bound_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
