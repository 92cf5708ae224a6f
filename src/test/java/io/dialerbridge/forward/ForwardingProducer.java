package io.dialerbridge.forward;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/** A Kafka producer that hands every call to a real one; tests override the calls they change. */
abstract class ForwardingProducer implements Producer<String, String> {

    protected final Producer<String, String> kafka;

    ForwardingProducer(Producer<String, String> kafka) {
        this.kafka = kafka;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
        return kafka.send(record, callback);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return send(record, (metadata, error) -> { });
    }

    @Override
    public void initTransactions() {
        kafka.initTransactions();
    }

    @Override
    public void beginTransaction() {
        kafka.beginTransaction();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String group) {
        kafka.sendOffsetsToTransaction(offsets, group);
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata group) {
        kafka.sendOffsetsToTransaction(offsets, group);
    }

    @Override
    public void commitTransaction() {
        kafka.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        kafka.abortTransaction();
    }

    @Override
    public void flush() {
        kafka.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return kafka.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return kafka.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return kafka.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        kafka.close();
    }

    @Override
    public void close(Duration timeout) {
        kafka.close(timeout);
    }
}
