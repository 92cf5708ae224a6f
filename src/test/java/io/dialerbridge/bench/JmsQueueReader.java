package io.dialerbridge.bench;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A JMS consumer in the harness that drains one queue from the moment it starts, as a dialer on the ESB would, and
 * keeps the broker's arrival time of the first message seen for each id.
 */
final class JmsQueueReader implements AutoCloseable {

    private final ActiveMQConnectionFactory factory;
    private final JMSContext context;
    private final Thread thread;
    private final Map<Long, Long> arrivedAt = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /** Starts consuming {@code queue}; {@code idOf} gives a message's id, or null for a message that does not count. */
    JmsQueueReader(String brokerUrl, String queue, Function<Message, Long> idOf) {
        factory = new ActiveMQConnectionFactory(brokerUrl);
        context = factory.createContext(JMSContext.DUPS_OK_ACKNOWLEDGE);
        JMSConsumer consumer = context.createConsumer(context.createQueue(queue));
        thread = new Thread(() -> {
            try {
                while (running) {
                    Message message = consumer.receive(200);
                    Long id = message == null ? null : idOf.apply(message);
                    if (id != null) {
                        arrivedAt.putIfAbsent(id, message.getLongProperty(ArtemisBroker.INGRESS_TIMESTAMP));
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                }
            }
        }, "bench-jms-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The broker's arrival time (epoch ms) of each id received so far; fails if the consumer failed. */
    Map<Long, Long> arrivedAt() {
        if (failure != null) {
            throw failure;
        }
        return arrivedAt;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        context.close();
        factory.close();
    }
}
