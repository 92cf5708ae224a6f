package io.dialerbridge.local.demo;

import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated CRM team working in the emulated org: it creates leads and contacts, enrols them in a campaign, marks
 * some Do Not Call, changes phones, and sends campaign control through the generic channel and Dialer_Command__e.
 */
public class DemoCrm {

    private static final Logger TRACE = LoggerFactory.getLogger("demo");
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton",
            "Thompson"};

    private final SalesforceEmulator org;
    private final Random random = new Random(42);
    private final AtomicInteger step = new AtomicInteger();
    private final List<String> contacts = new ArrayList<>();
    private String campaignId;

    public DemoCrm(SalesforceEmulator org) {
        this.org = org;
    }

    /** One action of the team; called on a schedule. */
    public void act() {
        try {
            if (campaignId == null) {
                campaignId = commit(transaction -> transaction.create(SObjectType.CAMPAIGN,
                        Map.of("Name", "Winter Renewals", "IsActive", true)));
                TRACE.info("CRM     created campaign Winter Renewals {}", campaignId);
            }
            switch (step.getAndIncrement() % 8) {
                case 0, 4 -> createLead();
                case 1, 5 -> createContactInCampaign();
                case 2 -> markDoNotCall();
                case 3 -> changePhone();
                case 6 -> {
                    String text = random.nextBoolean() ? "PAUSE_CAMPAIGN " + campaignId : "RESUME_CAMPAIGN " + campaignId;
                    org.genericChannels().push("/u/DialerControl", text);
                    TRACE.info("CRM     pushed '{}' on /u/DialerControl", text);
                }
                default -> {
                    org.platformEvents().publish("Dialer_Command__e", Map.of("Command__c", "SET_DIALING_MODE",
                            "Campaign_Id__c", campaignId, "Dialing_Mode__c", "PREDICTIVE", "Profile__c", "EVENING"),
                            org.settings().userId());
                    TRACE.info("CRM     published Dialer_Command__e SET_DIALING_MODE PREDICTIVE");
                }
            }
        } catch (RuntimeException e) {
            TRACE.warn("CRM     action failed: {}", e.getMessage());
        }
    }

    private void createLead() {
        String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
        String id = commit(transaction -> transaction.create(SObjectType.LEAD, Map.of("FirstName", name.split(" ")[0],
                "LastName", name.split(" ")[1], "Company", "Demo Corp", "Phone", phone())));
        TRACE.info("CRM     created lead {} {}", name, id);
    }

    private void createContactInCampaign() {
        String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
        String id = commit(transaction -> transaction.create(SObjectType.CONTACT, Map.of("FirstName",
                name.split(" ")[0], "LastName", name.split(" ")[1], "MobilePhone", phone())));
        commit(transaction -> transaction.create(SObjectType.CAMPAIGN_MEMBER, Map.of("CampaignId", campaignId,
                "ContactId", id, "Status", "Sent")));
        synchronized (contacts) {
            contacts.add(id);
        }
        TRACE.info("CRM     created contact {} {} and added it to the campaign", name, id);
    }

    private void markDoNotCall() {
        String id = someContact();
        if (id != null) {
            commit(transaction -> {
                transaction.update(SObjectType.CONTACT, id, Map.of("DoNotCall", true));
                return id;
            });
            TRACE.info("CRM     marked contact {} Do Not Call", id);
        }
    }

    private void changePhone() {
        String id = someContact();
        if (id != null) {
            String phone = phone();
            commit(transaction -> {
                transaction.update(SObjectType.CONTACT, id, Map.of("MobilePhone", phone));
                return id;
            });
            TRACE.info("CRM     changed the mobile phone of contact {}", id);
        }
    }

    private String someContact() {
        synchronized (contacts) {
            return contacts.isEmpty() ? null : contacts.get(random.nextInt(contacts.size()));
        }
    }

    private String phone() {
        return String.format("(415) 555-%04d", random.nextInt(10_000));
    }

    private String commit(java.util.function.Function<RecordStore.Transaction, String> work) {
        RecordStore.Transaction transaction = org.records().begin(org.settings().userId(),
                "com/salesforce/api/rest/56.0;client=demo-crm");
        String id = work.apply(transaction);
        transaction.commit();
        return id;
    }
}
