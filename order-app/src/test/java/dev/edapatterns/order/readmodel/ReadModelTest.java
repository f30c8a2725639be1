package dev.edapatterns.order.readmodel;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The read model against a real broker and a real PostgreSQL: what the projections make of the records (upserts,
 * tombstones, order totals), the keyset paging edges, the parameter bounds and the migration from an empty database.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(ReadModelTestResource.class)
class ReadModelTest {

    static final Duration PROJECTED = Duration.ofSeconds(30);

    /** Not injected directly: the Kafka-only test classes start the app without a datasource (inactive bean). */
    @Inject
    Instance<DataSource> dataSources;

    static RequestSpecification crm() {
        return given().auth().preemptive().basic("crm", "crm");
    }

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonPath customers(String query) {
        // the query is sent as written (%20, %25 stay escapes)
        return crm().urlEncodingEnabled(false).get("/customers?" + query).then().statusCode(200).contentType("application/json")
                .header(Staleness.LAG, notNullValue()).extract().jsonPath();
    }

    /** Amounts as written (12.00 stays 12.00). */
    static JsonPath json(Response r) {
        return r.then().statusCode(200).extract().jsonPath(JsonPathConfig.jsonPathConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    static List<String> emails(JsonPath page) {
        return page.getList("items.email", String.class);
    }

    @Test
    void aContactUpsertsItsCustomerAndATombstoneDeletesIt() {
        String email = "Upsert-" + run() + "@Example.com";
        String key = email.toLowerCase();
        ReadModelRecords.contact(email, "First Name", "FR");
        await().atMost(PROJECTED).until(() -> crm().get("/customers/" + key).statusCode() == 200);
        crm().get("/customers/" + email).then().statusCode(200)   // the path is normalised like the topic's key
                .header(Staleness.APPLIED_AT, notNullValue())
                .body("email", equalTo(key)).body("name", equalTo("First Name")).body("country", equalTo("FR"));

        ReadModelRecords.contact(email, "Second Name", "DE");
        await().atMost(PROJECTED).untilAsserted(() -> crm().get("/customers/" + key).then().statusCode(200)
                .body("name", equalTo("Second Name")).body("country", equalTo("DE")));
        assertEquals(1, count("SELECT count(*) FROM customers WHERE email = '" + key + "'"));

        ReadModelRecords.deleteContact(email);
        await().atMost(PROJECTED).until(() -> crm().get("/customers/" + key).statusCode() == 404);
        crm().get("/customers/" + key).then().statusCode(404).contentType("application/problem+json");
        assertEquals(0, count("SELECT count(*) FROM customers WHERE email = '" + key + "'"));
    }

    @Test
    void keysetPagesEndExactlyAtTheLastRow() {
        String prefix = "page-" + run() + "-";
        for (int i = 1; i <= 5; i++) {
            ReadModelRecords.contact(prefix + i + "@example.com", "Pager " + i, i <= 2 ? "DE" : "FR");
        }
        await().atMost(PROJECTED).until(() -> emails(customers("q=" + prefix + "&limit=10")).size() == 5);

        // pages of 2: 1,2 | 3,4 | 5
        JsonPath first = customers("q=" + prefix + "&limit=2");
        assertEquals(List.of(prefix + "1@example.com", prefix + "2@example.com"), emails(first));
        JsonPath second = customers("q=" + prefix + "&limit=2&after=" + first.getString("next"));
        assertEquals(List.of(prefix + "3@example.com", prefix + "4@example.com"), emails(second));
        JsonPath third = customers("q=" + prefix + "&limit=2&after=" + second.getString("next"));
        assertEquals(List.of(prefix + "5@example.com"), emails(third));
        assertNull(third.getString("next"));
        // exactly one page of rows: no next (no empty page to fetch)
        JsonPath exact = customers("q=" + prefix + "&limit=5");
        assertEquals(5, emails(exact).size());
        assertNull(exact.getString("next"));
        // after the last row: empty, no next
        JsonPath afterLast = customers("q=" + prefix + "&after=" + prefix + "5@example.com");
        assertEquals(List.of(), emails(afterLast));
        assertNull(afterLast.getString("next"));
        // nothing matches
        JsonPath none = customers("q=nobody-" + run());
        assertEquals(List.of(), emails(none));
        assertNull(none.getString("next"));
        // country narrows, name prefix any case, LIKE wildcards are literal
        assertEquals(List.of(prefix + "1@example.com", prefix + "2@example.com"), emails(customers("q=" + prefix + "&country=de")));
        assertTrue(emails(customers("q=PAGER%205")).contains(prefix + "5@example.com"));
        assertEquals(List.of(), emails(customers("q=" + prefix.replace("-", "_") + "%25")));
    }

    @Test
    void orderHistoryJoinsDeliveriesAndInvoicesWhicheverComesFirst() {
        String customer = "history-" + run() + "@example.com";
        Instant t1 = Instant.parse("2026-03-01T10:00:00Z");
        Instant t2 = Instant.parse("2026-03-02T09:00:00Z");
        String o1 = "hist-" + run();
        String o2 = "hist-" + run();
        // o1: delivery, then its invoice; o2: invoice first, no delivery yet
        ReadModelRecords.delivery(o1, customer, t1, List.of(new OrderItem("sku-1", 2, new BigDecimal("3.25")),
                new OrderItem("sku-2", 1, new BigDecimal("0.50"))));
        ReadModelRecords.invoice(9001, o2, customer, "eur", "12.00", t2);
        String path = "/customers/" + customer + "/orders";
        await().atMost(PROJECTED).until(() -> admin().get(path).jsonPath().getList("items").size() == 2);

        Response answer = admin().get(path);
        answer.then().header(Staleness.APPLIED_AT, notNullValue());
        JsonPath page = json(answer);
        assertEquals(List.of(o2, o1), page.getList("items.orderId"));          // newest first
        assertEquals(new BigDecimal("12.00"), page.get("items[0].total"));
        assertEquals("EUR", page.getString("items[0].currency"));
        assertEquals(9001, page.getInt("items[0].invoiceNumber"));
        assertNull(page.getString("items[0].deliveryStatus"));
        assertEquals(new BigDecimal("7.00"), page.get("items[1].total"));                  // 2 x 3.25 + 0.50, not invoiced yet
        assertNull(page.get("items[1].invoiceNumber"));
        assertEquals("SCHEDULED", page.getString("items[1].deliveryStatus"));
        assertEquals(List.of("sku-1", "sku-2"), page.getList("items[1].items.sku"));

        ReadModelRecords.invoice(9000, o1, customer, "EUR", "7.00", t1);
        ReadModelRecords.delivery(o2, customer, t2, List.of(new OrderItem("sku-3", 4, new BigDecimal("3.00"))));
        await().atMost(PROJECTED).untilAsserted(() -> {
            JsonPath both = admin().get(path).jsonPath();
            assertEquals(List.of(9001, 9000), both.getList("items.invoiceNumber"));
            assertEquals(List.of("SCHEDULED", "SCHEDULED"), both.getList("items.deliveryStatus"));
        });
        assertEquals(2, count("SELECT count(*) FROM order_history WHERE customer_id = '" + customer + "'"));

        // paging newest first: one per page
        JsonPath p1 = admin().get(path + "?limit=1").jsonPath();
        assertEquals(List.of(o2), p1.getList("items.orderId"));
        JsonPath p2 = admin().get(path + "?limit=1&after=" + p1.getString("next")).jsonPath();
        assertEquals(List.of(o1), p2.getList("items.orderId"));
        assertNull(p2.getString("next"));
    }

    @Test
    void revenuePerDayCountsInvoicedOrdersOfOneCurrency() {
        String currency = "Q" + (char) ('A' + (int) (Math.random() * 26)) + (char) ('A' + (int) (Math.random() * 26));
        String customer = "revenue-" + run() + "@example.com";
        Instant day1 = Instant.parse("2025-06-01T23:30:00Z");
        Instant day2 = Instant.parse("2025-06-02T00:15:00Z");
        String prefix = "rev-" + run() + "-";
        ReadModelRecords.invoice(1, prefix + 1, customer, currency, "10.00", day1);
        ReadModelRecords.invoice(2, prefix + 2, customer, currency, "5.50", day1);
        ReadModelRecords.invoice(3, prefix + 3, customer, currency, "1.25", day2);
        ReadModelRecords.invoice(4, prefix + 4, customer, "EUR", "99.00", day2);       // another currency
        ReadModelRecords.delivery(prefix + 5, customer, day2, List.of(new OrderItem("s", 1, new BigDecimal("50"))));
        String path = "/reports/revenue?currency=" + currency.toLowerCase() + "&from=2025-06-01&to=2025-06-30";
        await().atMost(PROJECTED).until(() -> admin().get(path).jsonPath().getList("days").size() == 2
                && admin().get(path).jsonPath().getInt("days[1].orders") == 1
                && count("SELECT count(*) FROM order_history WHERE order_id = '" + prefix + "5'") == 1);

        JsonPath report = json(admin().get(path));
        assertEquals(currency, report.getString("currency"));
        assertEquals(List.of("2025-06-01", "2025-06-02"), report.getList("days.day"));
        assertEquals(List.of(2, 1), report.getList("days.orders"));
        assertEquals(List.of(new BigDecimal("15.50"), new BigDecimal("1.25")), report.getList("days.revenue"));
        // a range without them
        assertEquals(List.of(), admin().get("/reports/revenue?currency=" + currency + "&from=2025-07-01&to=2025-07-02")
                .jsonPath().getList("days"));
    }

    static Stream<Arguments> badParameters() {
        String long255 = "a".repeat(255);
        return Stream.of(
                Arguments.of("limit 0", "/customers?limit=0", "limit"),
                Arguments.of("limit over the max", "/customers?limit=501", "limit"),
                Arguments.of("limit not a number", "/customers?limit=abc", "limit"),
                Arguments.of("limit negative", "/customers?limit=-1", "limit"),
                Arguments.of("country three letters", "/customers?country=FRA", "country"),
                Arguments.of("country digits", "/customers?country=12", "country"),
                Arguments.of("q too long", "/customers?q=" + long255, "q"),
                Arguments.of("q control character", "/customers?q=a%01b", "q"),
                Arguments.of("after too long", "/customers?after=" + long255, "after"),
                Arguments.of("email too long", "/customers/" + long255, "email"),
                Arguments.of("orders cursor garbage", "/customers/alice@example.com/orders?after=yesterday", "after"),
                Arguments.of("orders cursor bad id", "/customers/alice@example.com/orders?after=2026-01-01T00:00:00Z~a%20b", "after"),
                Arguments.of("orders limit over the max", "/customers/alice@example.com/orders?limit=100000", "limit"),
                Arguments.of("revenue without currency", "/reports/revenue", "currency"),
                Arguments.of("revenue currency two letters", "/reports/revenue?currency=EU", "currency"),
                Arguments.of("revenue from not a date", "/reports/revenue?currency=EUR&from=2026-13-01", "from"),
                Arguments.of("revenue to not a date", "/reports/revenue?currency=EUR&to=tomorrow", "to"),
                Arguments.of("revenue from after to", "/reports/revenue?currency=EUR&from=2026-02-01&to=2026-01-01", "from"),
                Arguments.of("revenue over max days", "/reports/revenue?currency=EUR&from=2024-01-01&to=2025-12-31", "to"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void badParametersAre400ProblemsNamingTheParameter(String name, String path, String parameter) {
        Response r = admin().urlEncodingEnabled(false).get(path);
        r.then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(ProblemTypes.INVALID_PARAMETER))
                .body("errors[0].field", equalTo(parameter));
    }

    @Test
    void aMissingCustomerIs404AndAnEmptyHistoryIsAnEmptyPage() {
        String nobody = "nobody-" + run() + "@example.com";
        crm().get("/customers/" + nobody).then().statusCode(404).contentType("application/problem+json");
        admin().get("/customers/" + nobody + "/orders").then().statusCode(200)
                .body("items.size()", equalTo(0)).body("next", nullValue());
    }

    @Test
    void theMigrationBuiltTheSchemaFromAnEmptyDatabase() throws Exception {
        assertEquals(1, count("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"));
        List<String> relations = new ArrayList<>();
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                        + " AND relkind IN ('r', 'v', 'i') ORDER BY relname")) {
            while (rs.next()) {
                relations.add(rs.getString(1));
            }
        }
        assertTrue(relations.containsAll(List.of("customers", "order_history", "projection_offsets",
                "projection_versions")), relations.toString());
        // the tables of the live versions (1, or later after a rebuild in another test), with the migration's indexes
        Map<String, Integer> live = versions();
        assertEquals(java.util.Set.of("customers", "order-history"), live.keySet());
        assertEquals(3, count("SELECT count(*) FROM pg_indexes WHERE tablename = 'customers_v" + live.get("customers") + "'"));
        assertEquals(3, count("SELECT count(*) FROM pg_indexes WHERE tablename = 'order_history_v"
                + live.get("order-history") + "'"));
    }

    Map<String, Integer> versions() throws Exception {
        Map<String, Integer> out = new java.util.TreeMap<>();
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT projection, live_version FROM projection_versions")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    long count(String sql) {
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
