package io.undermoon.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Objects;

/** The state of a slot range: stable ("None"), or part of a migration on either side. */
@JsonSerialize(using = SlotRangeTag.Serializer.class)
@JsonDeserialize(using = SlotRangeTag.Deserializer.class)
public sealed interface SlotRangeTag {

    None NONE = new None();

    record None() implements SlotRangeTag {}

    record Migrating(MigrationMeta meta) implements SlotRangeTag {
        public Migrating {
            Objects.requireNonNull(meta, "meta");
        }
    }

    record Importing(MigrationMeta meta) implements SlotRangeTag {
        public Importing {
            Objects.requireNonNull(meta, "meta");
        }
    }

    /** The migration meta, or null for a stable range. */
    default MigrationMeta metaOrNull() {
        return switch (this) {
            case None n -> null;
            case Migrating m -> m.meta();
            case Importing i -> i.meta();
        };
    }

    default boolean isStable() {
        return this instanceof None;
    }

    final class Serializer extends JsonSerializer<SlotRangeTag> {
        @Override
        public void serialize(SlotRangeTag tag, JsonGenerator gen, SerializerProvider provider) throws IOException {
            switch (tag) {
                case SlotRangeTag.None n -> gen.writeString("None");
                case SlotRangeTag.Migrating m -> {
                    gen.writeStartObject();
                    gen.writeObjectField("Migrating", m.meta());
                    gen.writeEndObject();
                }
                case SlotRangeTag.Importing i -> {
                    gen.writeStartObject();
                    gen.writeObjectField("Importing", i.meta());
                    gen.writeEndObject();
                }
            }
        }
    }

    final class Deserializer extends JsonDeserializer<SlotRangeTag> {
        @Override
        public SlotRangeTag deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                if ("None".equals(p.getText())) {
                    return NONE;
                }
                return (SlotRangeTag) ctx.handleWeirdStringValue(SlotRangeTag.class, p.getText(),
                        "expected \"None\" or {\"Migrating\"|\"Importing\": {...}}");
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return (SlotRangeTag) ctx.handleUnexpectedToken(SlotRangeTag.class, p);
            }
            String name = p.nextFieldName();
            if (name == null) {
                return (SlotRangeTag) ctx.handleUnexpectedToken(SlotRangeTag.class, p);
            }
            p.nextToken();
            MigrationMeta meta = ctx.readValue(p, MigrationMeta.class);
            if (meta == null) {
                return (SlotRangeTag) ctx.reportInputMismatch(SlotRangeTag.class, "the migration meta of %s must not be null", name);
            }
            if (p.nextToken() != JsonToken.END_OBJECT) {
                return (SlotRangeTag) ctx.handleUnexpectedToken(SlotRangeTag.class, p);
            }
            return switch (name) {
                case "Migrating" -> new Migrating(meta);
                case "Importing" -> new Importing(meta);
                default -> (SlotRangeTag) ctx.handleWeirdKey(SlotRangeTag.class, name, "unknown slot range tag");
            };
        }
    }
}
