package io.audioflow.job.kafka;

import io.audioflow.operators.ingest.RawMessage;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Copies a Kafka record as it is: nothing here can throw on bad input, so a poison message never
 * fails the source (checks run in the parse operator, which routes failures to the DLQ).
 */
final class RawMessageDeserializer implements KafkaRecordDeserializationSchema<RawMessage> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawMessage> out) {
        RawMessage m = new RawMessage();
        m.key = record.key();
        m.value = record.value();
        Header[] headers = record.headers().toArray();
        m.headerKeys = new String[headers.length];
        m.headerValues = new byte[headers.length][];
        for (int i = 0; i < headers.length; i++) {
            m.headerKeys[i] = headers[i].key();
            m.headerValues[i] = headers[i].value();
        }
        m.topic = record.topic();
        m.partition = record.partition();
        m.offset = record.offset();
        m.timestamp = record.timestamp();
        out.collect(m);
    }

    @Override
    public TypeInformation<RawMessage> getProducedType() {
        return TypeInformation.of(RawMessage.class);
    }
}
