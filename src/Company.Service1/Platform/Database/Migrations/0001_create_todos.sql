-- The sample resource. Ids are UUIDv7 (time-ordered), so keyset paging by id lists in creation order.
CREATE TABLE todos (
    id          uuid        PRIMARY KEY,
    title       text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    done        boolean     NOT NULL DEFAULT false,
    version     bigint      NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
