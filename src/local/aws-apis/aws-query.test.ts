import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { decodeQuery, encodeQueryError, encodeQueryResponse, toJsonShape } from './aws-query.ts';

describe("AWS's query protocol", () => {
  it('nests flattened members as JSON 1.0 carries them: lists from member.N, maps from entry.N', () => {
    const body = new URLSearchParams({
      Action: 'GetMetricData',
      Version: '2010-08-01',
      'MetricDataQueries.member.1.Id': 'm1',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'TableName',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'T',
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      'MetricDataQueries.member.2.Id': 'm2',
      'Statistics.member.2': 'Average',
      'Statistics.member.1': 'Sum',
      'Tags.entry.1.key': 'team',
      'Tags.entry.1.value': 'sale',
    }).toString();
    expect(decodeQuery(body)).toEqual({
      action: 'GetMetricData',
      input: {
        MetricDataQueries: [
          { Id: 'm1', MetricStat: { Metric: { Dimensions: [{ Name: 'TableName', Value: 'T' }] }, Period: '60' } },
          { Id: 'm2' },
        ],
        Statistics: ['Sum', 'Average'],
        Tags: { team: 'sale' },
      },
    });
  });

  it('answers in XML with lists as member, maps as entry, timestamps in ISO 8601, text escaped', () => {
    const xml = encodeQueryResponse(
      'GetMetricStatistics',
      { Label: 'a<b', Datapoints: [{ Timestamp: new Date(0), ExtendedStatistics: new Map([['p99', 1.5]]) }], Empty: [] },
      'urn:ns',
      'r1',
    );
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(parsed.GetMetricStatisticsResponse).toEqual({
      '@_xmlns': 'urn:ns',
      GetMetricStatisticsResult: {
        Label: 'a<b',
        Datapoints: { member: { Timestamp: '1970-01-01T00:00:00.000Z', ExtendedStatistics: { entry: { key: 'p99', value: 1.5 } } } },
        Empty: '',
      },
      ResponseMetadata: { RequestId: 'r1' },
    });
    expect(new XMLParser().parse(encodeQueryError('InvalidAction', 'no & such', 'urn:ns', 'r2')).ErrorResponse.Error).toEqual({
      Type: 'Sender',
      Code: 'InvalidAction',
      Message: 'no & such',
    });
  });

  it('gives the same output to JSON 1.0 with epoch-second timestamps and maps as objects', () => {
    expect(toJsonShape({ T: new Date(1500), M: new Map([['p99', 2]]), L: [{ u: undefined, v: 1 }] })).toEqual({
      T: 1.5,
      M: { p99: 2 },
      L: [{ v: 1 }],
    });
  });
});
