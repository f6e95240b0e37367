package io.rankforge.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Copies a DL4J layer's state into RankForge's subclass of it, so the replacement is the same layer. */
final class LayerState {
    private LayerState() {}

    /**
     * Copies every instance field that {@code declaredFrom} and its superclasses declare from {@code from} to {@code
     * to} (index, listeners, counters, parameters and gradient views, helper, input).
     */
    static <T> void copy(T from, T to, Class<T> declaredFrom) {
        for (Class<?> c = declaredFrom; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException(
                            "cannot copy field " + f.getName() + " of DL4J's " + c.getSimpleName(), e);
                }
            }
        }
    }
}
