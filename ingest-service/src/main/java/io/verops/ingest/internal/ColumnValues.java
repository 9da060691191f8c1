package io.verops.ingest.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The values of one CSV row as an immutable map from column name, sharing its header's column index with every
 * other row: one array per row instead of a hash table per row.
 */
public final class ColumnValues extends AbstractMap<String, String> {
    /** The columns of one header, shared by all of its rows. */
    public static final class Columns {
        private final String[] names;
        private final Map<String, Integer> index;

        public Columns(String[] names) {
            this.names = names.clone();
            this.index = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
            }
        }

        public int size() {
            return names.length;
        }
    }

    private final Columns columns;
    private final String[] values;

    /** @param values one value per column, none null (the array is kept, not copied) */
    ColumnValues(Columns columns, String[] values) {
        if (values.length != columns.names.length) {
            throw new IllegalArgumentException(values.length + " values for " + columns.names.length + " columns");
        }
        this.columns = columns;
        this.values = values;
    }

    /** The header these values belong to (the same object for every row of a batch). */
    public Columns columns() {
        return columns;
    }

    @Override
    public String get(Object key) {
        Integer i = columns.index.get(key);
        return i == null ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return columns.index.containsKey(key);
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < values.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (i >= values.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> e = new SimpleImmutableEntry<>(columns.names[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }
}
