package dev.edapatterns.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generates a contacts CSV with a known number of good and bad rows. */
record ContactsCsv(Path file, int rows, int rejected) {

    /** Every {@code badEvery}-th row is bad (alternately: no email, invalid email). */
    static ContactsCsv generate(Path file, int rows, int badEvery) {
        int rejected = 0;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,name,country,phone\n");
            for (int i = 1; i <= rows; i++) {
                if (i % badEvery == 0) {
                    out.write(rejected % 2 == 0 ? ",No Email " + i + ",FR,\n" : "broken-" + i + ",Bad,FR,\n");
                    rejected++;
                } else {
                    out.write("user" + i + "@e2e.example.com,\"User " + i + "\",FR,+33 1 00 00 " + i + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ContactsCsv(file, rows, rejected);
    }

    int imported() {
        return rows - rejected;
    }
}
