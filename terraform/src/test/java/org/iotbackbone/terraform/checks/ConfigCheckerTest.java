package org.iotbackbone.terraform.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checker on fixtures (src/test/resources/fixtures/): a module that passes everything, and one
 * module per mistake, each of which must be reported with the one problem it has.
 */
class ConfigCheckerTest {

  private static ConfigChecker checker;

  @BeforeAll
  static void parser() {
    checker = new ConfigChecker(Hcl2Json.require());
    // Every fixture in one node process.
    try (Stream<Path> dirs = Files.list(fixture("good").getParent())) {
      checker.load(dirs.filter(Files::isDirectory).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path fixture(String name) {
    try {
      return Path.of(ConfigCheckerTest.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCorrectModuleHasNoProblems() {
    assertThat(checker.check(fixture("good"))).isEmpty();
    assertThat(checker.check(fixture("good-child"))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "parse-error | does not parse as HCL2: ",
        "unresolved-var | var.cidr is not a declared variable",
        "unresolved-local | local.tags is not a declared local value",
        "unresolved-resource | aws_vpc.main is not a declared resource",
        "unresolved-data | data.aws_availability_zones.available is not a declared data source",
        "unresolved-module | module.network is not a declared module call",
        "unresolved-module-output | module.child.subnet_ids is not an output of ../good-child",
        "unknown-module-argument | module \"child\" passes \"region\", not a variable of ../good-child",
        "missing-module-argument | module \"child\" does not pass \"vpc_id\", which ../good-child requires",
        "missing-module-source | source \"../no-such-module\" is not a directory of .tf files",
        "unpinned-remote-module | is neither local nor pinned",
        "untyped-variable | variable \"name\" has no type",
        "undescribed-variable | variable \"name\" has no description",
        "unused-variable | variable \"name\" is declared but never used",
        "undescribed-output | output \"name\" has no description",
        "unpinned-provider | provider \"aws\" is not pinned: version \">= 5.0\"",
        "provider-without-version | provider \"aws\" has no version in required_providers",
        "undeclared-provider | provider \"helm\" is used but not in required_providers",
        "no-required-version | no required_version in a terraform block",
      })
  void eachMistakeIsReported(String fixture, String expected) {
    List<String> problems = checker.check(fixture(fixture));
    assertThat(problems).as("problems of %s", fixture).hasSize(1);
    assertThat(problems.get(0)).contains(expected);
  }
}
