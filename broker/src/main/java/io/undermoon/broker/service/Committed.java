package io.undermoon.broker.service;

import io.undermoon.model.broker.MetaStore;

/** A mutation's value and the store that was published with it. */
public record Committed<T>(T value, MetaStore store) {}
