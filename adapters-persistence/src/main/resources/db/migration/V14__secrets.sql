-- Secrets of a project (issue 12) that job environments reference. Only sealed values are kept:
-- AES-256-GCM under the server key (SecretCipher), a fresh 96-bit nonce per value, the project,
-- secret name and key bound as additional data. The server key itself is never in the database.
CREATE TABLE secrets (
    project    text        NOT NULL,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    PRIMARY KEY (project, name)
);

CREATE TABLE secret_values (
    project    text  NOT NULL,
    name       text  NOT NULL,
    key        text  NOT NULL,
    -- which server key sealed the value, so a rotation can tell old values from new ones
    key_id     text  NOT NULL,
    nonce      bytea NOT NULL CHECK (octet_length(nonce) = 12),
    -- the ciphertext with its 16-byte authentication tag
    ciphertext bytea NOT NULL,
    PRIMARY KEY (project, name, key),
    FOREIGN KEY (project, name) REFERENCES secrets (project, name) ON DELETE CASCADE
);
