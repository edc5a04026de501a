-- The ten recordings with the lowest blind SNR, with their verdict and the rules that fired.
SELECT recording_id,
       metrics['snr.wada_db'] AS snr_db,
       verdict,
       CARDINALITY(decision.reasons) AS reasons
FROM audio_results
WHERE metrics['snr.wada_db'] IS NOT NULL
ORDER BY snr_db ASC, recording_id
LIMIT 10;
