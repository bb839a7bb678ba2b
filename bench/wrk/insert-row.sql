-- pgbench reference for the submit benchmark: one durable single-row insert a transaction.
INSERT INTO submit_reference (body) VALUES ('{"name":"submit-bench","type":"bench","queue":"submit-bench"}');
