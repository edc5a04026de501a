-- How many recordings got each verdict, per hour of result time.
SELECT window_start, window_end, verdict, COUNT(*) AS recordings
FROM TABLE(TUMBLE(TABLE audio_results, DESCRIPTOR(result_time), INTERVAL '1' HOUR))
GROUP BY window_start, window_end, verdict
ORDER BY window_start, verdict;
