package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** {@code {"names": [...]}}: a page of cluster names. */
public record NamesResponse(@JsonProperty(value = "names", required = true) List<String> names) {

    @JsonCreator
    public NamesResponse {
        names = List.copyOf(Objects.requireNonNull(names, "names"));
    }
}
