package io.undermoon.broker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Structural mutations of a valid JSON request: a value replaced by one of another type or at an
 * edge (huge and negative numbers, floats, null, empty and deeply nested containers, long strings),
 * a field removed or added, or the whole document wrapped. The result is still JSON, so it reaches
 * the parts of the API behind the JSON parser.
 */
final class JsonMutations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonMutations() {}

    static JsonNode mutate(JsonNode valid, Random rnd) {
        JsonNode root = valid.deepCopy();
        int edits = 1 + rnd.nextInt(3);
        for (int i = 0; i < edits; i++) {
            root = mutateOnce(root, rnd);
        }
        return root;
    }

    private static JsonNode mutateOnce(JsonNode root, Random rnd) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty() || rnd.nextInt(10) == 0) {
            return rnd.nextBoolean() ? F.arrayNode().add(root) : oddValue(rnd);
        }
        JsonNode target = containers.get(rnd.nextInt(containers.size()));
        if (target instanceof ObjectNode obj) {
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            int op = rnd.nextInt(4);
            if (op == 0 && !names.isEmpty()) {
                obj.remove(names.get(rnd.nextInt(names.size())));
            } else if (op == 1) {
                obj.set(rnd.nextBoolean() ? "unknown_field" : "", oddValue(rnd));
            } else if (!names.isEmpty()) {
                obj.set(names.get(rnd.nextInt(names.size())), oddValue(rnd));
            }
        } else if (target instanceof ArrayNode arr) {
            int op = rnd.nextInt(3);
            if (op == 0 && !arr.isEmpty()) {
                arr.remove(rnd.nextInt(arr.size()));
            } else if (op == 1) {
                arr.add(oddValue(rnd));
            } else if (!arr.isEmpty()) {
                arr.set(rnd.nextInt(arr.size()), oddValue(rnd));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), containers);
            }
        }
    }

    private static JsonNode oddValue(Random rnd) {
        return switch (rnd.nextInt(16)) {
            case 0 -> F.nullNode();
            case 1 -> F.textNode("");
            case 2 -> F.textNode("x".repeat(rnd.nextInt(100_000)));
            case 3 -> F.numberNode(-1);
            case 4 -> F.numberNode(Long.MAX_VALUE);
            case 5 -> F.numberNode(new BigInteger("18446744073709551616"));
            case 6 -> F.numberNode(new BigDecimal("1e400"));
            case 7 -> F.numberNode(1.5);
            case 8 -> F.booleanNode(rnd.nextBoolean());
            case 9 -> F.arrayNode();
            case 10 -> F.objectNode();
            case 11 -> {
                JsonNode deep = F.numberNode(1);
                for (int i = 0; i < 500 + rnd.nextInt(3000); i++) {
                    deep = F.arrayNode().add(deep);
                }
                yield deep;
            }
            case 12 -> F.textNode("\u0000\ud800\uffff");
            case 13 -> F.numberNode(Long.MIN_VALUE);
            case 14 -> F.textNode("127.0.0.1:6000");
            default -> F.numberNode(rnd.nextInt(20_000) - 1000);
        };
    }
}
