package io.audioflow.job.suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A suite's outcome as a person reads it (a table, then what failed) and as CI servers read it
 * (JUnit XML: one {@code testcase} per case, a {@code failure} listing its missed expectations).
 *
 * @param pipeline the pipeline under test, as {@code name version}
 */
public record SuiteReport(
        PipelineSuite suite, String pipeline, List<CaseOutcome> outcomes, double seconds) {

    public SuiteReport {
        outcomes = List.copyOf(outcomes);
    }

    public long failed() {
        return outcomes.stream().filter(o -> !o.passed()).count();
    }

    public void printTable(PrintWriter out) {
        int width =
                Math.max(
                        4,
                        outcomes.stream()
                                .mapToInt(o -> o.testCase().name().length())
                                .max()
                                .orElse(4));
        int verdictWidth =
                Math.max(
                        8,
                        outcomes.stream()
                                .mapToInt(
                                        o ->
                                                Math.max(
                                                        o.got().length(),
                                                        String.valueOf(o.testCase().error())
                                                                .length()))
                                .max()
                                .orElse(8));
        String row =
                "%-" + width + "s  %-" + verdictWidth + "s  %-" + verdictWidth + "s  %-6s  %s%n";
        out.printf(row, "case", "expected", "got", "checks", "result");
        for (CaseOutcome o : outcomes) {
            var c = o.testCase();
            int checks = c.checks();
            out.printf(
                    row,
                    c.name(),
                    c.error() != null ? c.error() : c.verdict() != null ? c.verdict() : "-",
                    o.got(),
                    (checks - Math.min(checks, o.failures().size())) + "/" + checks,
                    o.passed() ? "pass" : "FAIL");
            for (String f : o.failures()) out.println("    " + f);
        }
        out.printf(
                Locale.ROOT,
                "suite `%s` on pipeline %s: %d case(s), %d passed, %d failed in %.1f s%n",
                suite.name(),
                pipeline,
                outcomes.size(),
                outcomes.size() - failed(),
                failed(),
                seconds);
        out.flush();
    }

    public void writeJUnit(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", suite.name());
            x.writeAttribute("tests", String.valueOf(outcomes.size()));
            x.writeAttribute("failures", String.valueOf(failed()));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", "0");
            x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", seconds));
            x.writeCharacters("\n");
            x.writeStartElement("properties");
            x.writeEmptyElement("property");
            x.writeAttribute("name", "pipeline");
            x.writeAttribute("value", pipeline);
            x.writeEndElement();
            x.writeCharacters("\n");
            for (CaseOutcome o : outcomes) {
                x.writeCharacters("  ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "audioflow." + suite.name());
                x.writeAttribute("name", o.testCase().name());
                x.writeAttribute("file", o.testCase().at().file());
                x.writeAttribute("line", String.valueOf(o.testCase().at().line()));
                if (!o.passed()) {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", o.failures().get(0));
                    x.writeAttribute("type", "expectation");
                    x.writeCharacters(String.join("\n", o.failures()));
                    x.writeEndElement();
                }
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
