-- audioflow's topics as Flink SQL tables, for analysts. Run with Flink's SQL client:
--   sql-client.sh -i config/sql/tables.sql -f config/sql/verdicts-per-hour.sql
-- (the Kafka connector and JSON format jars in its lib/ or with -j; see docs/sql.md).
-- Change 'properties.bootstrap.servers' and the topics for your cluster; add the
-- 'properties.security.protocol', 'properties.sasl.*' and 'properties.ssl.*' your clients use.

-- Reports over what the topics hold now: batch mode, each source reading to its current end.
-- For continuous queries, drop these two lines and 'scan.bounded.mode' below.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

-- One row per recording (docs: README "Result format"). Only committed results are read, as the
-- job writes them in transactions: an aborted write is never seen.
CREATE TABLE audio_results (
  recording_id STRING,
  duration_s DOUBLE,
  sample_rate INT,
  channels INT,
  `complete` BOOLEAN,
  metadata MAP<STRING, STRING>,
  -- `<stage>.<metric>`, as in the result: metrics['snr.wada_db']; null when a stage had no value
  metrics MAP<STRING, DOUBLE>,
  decision ROW<
    verdict STRING,
    reasons ARRAY<ROW<rule STRING, metric STRING, `value` DOUBLE, comparison STRING,
                      threshold DOUBLE, verdict STRING>>>,
  `error` ROW<code STRING, stage STRING, message STRING>,
  provenance ROW<pipeline STRING, pipeline_version STRING, config_sha256 STRING,
                 config_version BIGINT>,
  -- when the job wrote the result (the Kafka record's timestamp)
  result_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  verdict AS decision.verdict,
  WATERMARK FOR result_time AS result_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'audio.results',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.fail-on-missing-field' = 'false',
  'json.ignore-parse-errors' = 'false'
);

-- One row per dead letter: the failed message's bytes (cut to --dlq-max-payload-bytes), its key,
-- and the error in headers (docs: README "Topics and message contracts").
CREATE TABLE audio_dlq (
  recording_key STRING,
  payload BYTES,
  headers MAP<STRING, BYTES> METADATA VIRTUAL,
  failed_at TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  error_code AS CAST(headers['audioflow.error.code'] AS STRING),
  error_stage AS CAST(headers['audioflow.error.stage'] AS STRING),
  error_message AS CAST(headers['audioflow.error.message'] AS STRING),
  original_topic AS CAST(headers['orig.topic'] AS STRING),
  original_offset AS CAST(CAST(headers['orig.offset'] AS STRING) AS BIGINT),
  WATERMARK FOR failed_at AS failed_at - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'audio.dlq',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'key.format' = 'raw',
  'key.fields' = 'recording_key',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);
