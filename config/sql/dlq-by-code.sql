-- Dead letters by error code and the stage that refused them: what to fix first.
SELECT error_code, error_stage, COUNT(*) AS dead_letters,
       MIN(failed_at) AS first_seen, MAX(failed_at) AS last_seen
FROM audio_dlq
GROUP BY error_code, error_stage
ORDER BY dead_letters DESC, error_code, error_stage;
