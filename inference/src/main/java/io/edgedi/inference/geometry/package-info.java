/**
 * Nullness: types are non-null unless annotated {@code @Nullable} (docs/decisions/006-nullness.md).
 */
@NullMarked
package io.edgedi.inference.geometry;

import org.jspecify.annotations.NullMarked;
