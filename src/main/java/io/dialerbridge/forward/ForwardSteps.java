package io.dialerbridge.forward;

import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.command.SalesforceEventMapper;
import io.dialerbridge.command.SuppressionLifts;
import io.dialerbridge.salesforce.stream.SalesforceEvent;
import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The steps of {@code salesforce-event-to-dialer}, each bound to its bean's method once, here. A {@code bean} step
 * would find the method and bind its parameters again for every event (camel's bean invocation: method matching,
 * parameter expressions, a reflective call), a few percent of the stream thread's CPU for three calls that never
 * change.
 */
@Configuration(proxyBeanMethods = false)
public class ForwardSteps {

    /** {@link SalesforceEventMapper#map}: the event in the body becomes its commands. */
    @Bean
    Processor mapSalesforceEvent(SalesforceEventMapper mapper) {
        return exchange -> {
            Message message = exchange.getMessage();
            message.setBody(mapper.map(message.getBody(SalesforceEvent.class)));
        };
    }

    /** {@link SuppressionLifts#restore}: the commands, then the restored state of whoever they make callable. */
    @Bean
    Processor restoreSuppressionLifts(SuppressionLifts lifts) {
        return exchange -> {
            Message message = exchange.getMessage();
            message.setBody(lifts.restore(commands(message)));
        };
    }

    /** {@link ChannelTransactions#publish}: screened and sent in the channel's transaction. */
    @Bean
    Processor publishInChannelTransaction(ChannelTransactions transactions) {
        return exchange -> transactions.publish(commands(exchange.getMessage()), exchange);
    }

    @SuppressWarnings("unchecked")
    private static List<DialerCommand> commands(Message message) {
        return message.getBody(List.class);
    }
}
